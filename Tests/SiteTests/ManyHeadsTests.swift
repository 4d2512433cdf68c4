import Foundation
import Testing
@testable import Site

@Suite("many heads fold under the grid")
struct ManyHeadsTests {
    static func spec(heads: Int) -> String {
        "```attention\nname: many\nfocus: b\nheads: \(heads)\nd_model: \(2 * heads)\ntokens: [a, b, c]\n"
            + "X: {seed: 1}\nW_Q: {seed: 2}\nW_K: {seed: 3}\nW_V: {seed: 4}\n```\n"
    }

    @Test("with eight heads: the grid stays open above one closed <details> per head, holding that head's stages")
    func folded() throws {
        let pages = try render(["01-t.md": frontMatter + Self.spec(heads: 8)])
        let page = try #require(pages.first { $0.key != "index.html" && $0.value.contains("class=\"trace\"") }?.value)
        let grid = try #require(page.range(of: "class=\"heatmap heads-grid\""))
        let folds = page.components(separatedBy: "<details class=\"head-tables\"").dropFirst()
        #expect(folds.count == 8)
        #expect(page.range(of: "<details class=\"head-tables\"")!.lowerBound > grid.upperBound, "the grid comes first, outside any fold")
        for (r, fold) in folds.enumerated() {
            #expect(fold.hasPrefix(" id=\"example-1-head-\(r)\"><summary>Head \(r): "))
            let body = fold.components(separatedBy: "</details>")[0]
            // Each fold holds this head's stages and no other head's.
            #expect(body.contains("class=\"badge\">head \(r)<"))
            #expect(!body.contains("class=\"badge\">head \(r == 0 ? 1 : 0)<"))
            #expect(body.contains("id=\"example-1-normalization-h\(r)\""))
        }
        // The concatenation (no head) is not folded.
        let concat = try #require(page.range(of: "id=\"example-1-concat\""))
        let lastFold = try #require(page.range(of: "<details class=\"head-tables\"", options: .backwards))
        #expect(concat.lowerBound > lastFold.upperBound)
        #expect(page.components(separatedBy: "</details>").count - 1 >= 8)
    }

    @Test("with two small heads: no grid, nothing folded")
    func open() throws {
        let pages = try render(["01-t.md": frontMatter + Self.spec(heads: 2)])
        let page = try #require(pages.first { $0.key != "index.html" && $0.value.contains("class=\"trace\"") }?.value)
        #expect(!page.contains("heads-grid"))
        #expect(!page.contains("head-tables"))
        #expect(page.contains("class=\"badge\">head 1<"))
    }
}
