import Foundation
import Testing
@testable import Site

@Suite("attn worksheet")
struct WorksheetTests {
    /// The fixture lesson of the tests: a block over I, am, good, focused on am.
    func worksheet() throws -> Worksheet {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-a.md": frontMatter + "## Looking\n\nThe query *am*.\n\n```attention\nname: b\nfocus: am\ndecimals: 3\ntokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\n```\n"])
        return Worksheet(lesson: try Worksheet.lesson(at: scratch.lessons + "/01-a.md"))
    }

    @Test("the sheet leaves the focus row of ω, α and Z blank; the key fills it in")
    func blanks() throws {
        let sheet = try worksheet()
        let page = sheet.render(key: false)
        let key = sheet.render(key: true)
        let block = sheet.lesson.attentionBlocks[0]
        // ω, ω scaled, α and Z: one blank row of 3 cells each (Z has d_v = 2 columns).
        let blankCells = page.components(separatedBy: "<td class=\"blank\"></td>").count - 1
        #expect(blankCells == 3 + 3 + 3 + 2)
        #expect(!page.contains("class=\"answer\""))
        #expect(key.components(separatedBy: "<td class=\"answer\">").count - 1 == blankCells)
        for name in ["α", "Z", "ω"] {
            let event = try #require(block.trace.events.first { $0.name == name })
            for j in 0..<event.values.columns {
                let value = TraceFormatBridge.number(event.values[1, j], decimals: 3)
                #expect(key.contains("<td class=\"answer\">\(value)</td>"), "\(name)[am, \(j)] = \(value) in the key")
            }
        }
        // Other rows are given on both pages.
        let alpha = try #require(block.trace.events.first { $0.name == "α" })
        #expect(page.contains("<td>\(TraceFormatBridge.number(alpha.values[0, 0], decimals: 3))</td>"))
    }

    @Test("no script, no network, a print stylesheet")
    func printable() throws {
        for page in [try worksheet().render(key: false), try worksheet().render(key: true)] {
            #expect(!page.contains("<script"))
            #expect(!page.contains("http://") && !page.contains("https://"))
            #expect(page.contains("@page { size: auto;"))
            #expect(malformedTags(page).isEmpty)
        }
    }
}
