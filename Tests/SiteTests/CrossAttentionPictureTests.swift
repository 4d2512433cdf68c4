import AttentionEngine
import Foundation
import HTML
import Lessons
import Testing
import TraceFormat
@testable import Site

@Suite("cross-attention picture")
struct CrossAttentionPictureTests {
    static let cross = """
        ```attention
        focus: saw
        tokens: [I, saw, dog]
        X: [[1, 0, 0], [0, 1, 0.5], [0, 0, 1]]
        W_Q: [[1, 0], [0, 2], [1, 1]]
        W_K: [[1, 0], [0, 1], [2, 1]]
        W_V: [[1, 0], [0, 1], [1, 1]]
        source:
          tokens: [ich, habe, Hund, gesehen]
          X: [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1]]
        ```

        """

    @Test("one box per token of each sentence, and one line from the focus query to each source token, as thick as its traced weight")
    func lines() throws {
        let block = try parsedBlock(Self.cross)
        let alpha = try #require(block.trace.events.first { $0.stage == .normalization })
        let picture = CrossAttentionPicture(block: block, event: alpha, row: 1, id: "x")
        let html = picture.node().render()
        #expect(html.components(separatedBy: "<g class=\"tok source\">").count - 1 == 4)
        #expect(html.components(separatedBy: "<g class=\"tok target").count - 1 == 3)
        #expect(html.contains("<g class=\"tok target focus\"><rect x=\"\(svgNumber(picture.centre(1, of: 3) - (picture.slot - 10) / 2))\""))
        let line = try NSRegularExpression(pattern: "<line x1=\"([0-9.]+)\" y1=\"[0-9.]+\" x2=\"([0-9.]+)\" y2=\"[0-9.]+\" stroke-width=\"([0-9.]+)\"")
        let matches = line.matches(in: html, range: NSRange(html.startIndex..., in: html))
        #expect(matches.count == 4)
        for (j, m) in matches.enumerated() {
            let v = (1...3).map { Double(html[Range(m.range(at: $0), in: html)!])! }
            #expect(abs(v[0] - picture.centre(1, of: 3)) < 0.01, "every line leaves the focus token")
            #expect(abs(v[1] - picture.centre(j, of: 4)) < 0.01, "line \(j) reaches source token \(j)")
            #expect(abs(v[2] - (0.75 + 9 * alpha.values[1, j])) < 0.006, "line \(j) is as thick as α[saw, \(j)]")
        }
        // The weights written at the source end are the row of α, in order.
        let written = try NSRegularExpression(pattern: "<text class=\"weight\"[^>]*>([0-9.]+)</text>")
        let numbers = written.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { Double(html[Range($0.range(at: 1), in: html)!])! }
        #expect(numbers.count == 4)
        for j in 0..<4 { #expect(abs(numbers[j] - alpha.values[1, j]) <= 0.005) }
    }

    @Test("a cross-attention block's page draws the two sentences instead of the one-sentence picture")
    func onThePage() throws {
        let pages = try render(["01-t.md": frontMatter + Self.cross])
        let page = try #require(pages["t.html"] ?? pages.first { $0.key.hasSuffix(".html") && $0.key != "index.html" }?.value)
        #expect(page.contains("<figure class=\"cross\">"))
        #expect(!page.contains("<figure class=\"looks\">"))
    }
}
