import Foundation
import MathML
import Testing

/// docs/authoring.md lists the TeX subset the converter accepts. This keeps them in step:
/// `ATTN_UPDATE_DOCS=1 swift test --filter DocsSync` rewrites the table from the code.
@Suite("docs")
struct DocsSyncTests {
    @Test("docs/authoring.md holds the current TeX subset table")
    func texSubsetTableIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/authoring.md")
        var text = try String(contentsOf: url, encoding: .utf8)
        let start = "<!-- tex-subset:start -->\n", end = "<!-- tex-subset:end -->"
        let from = try #require(text.range(of: start)), to = try #require(text.range(of: end))
        let current = String(text[from.upperBound..<to.lowerBound])
        if ProcessInfo.processInfo.environment["ATTN_UPDATE_DOCS"] == "1" {
            text.replaceSubrange(from.upperBound..<to.lowerBound, with: texSubsetReference)
            try text.write(to: url, atomically: true, encoding: .utf8)
        } else {
            #expect(current == texSubsetReference, "run ATTN_UPDATE_DOCS=1 swift test --filter DocsSync")
        }
    }
}
