import AttentionEngine
import Diagnostics
import Foundation
import Testing
@testable import Site
import TraceFormat

@Suite("attn worksheet")
struct WorksheetTests {
    /// The fixture lesson of the tests: a block over I, am, good, focused on am.
    func worksheet() throws -> Worksheet {
        try worksheet(block: "name: b\nfocus: am\ndecimals: 3\ntokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\n")
    }

    /// A lesson holding one attention block (its fence on line 12), as a worksheet.
    func worksheet(block: String) throws -> Worksheet {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-a.md": frontMatter + "## Looking\n\nThe query *am*.\n\n```attention\n" + block + "```\n"])
        return Worksheet(lesson: try Worksheet.lesson(at: scratch.lessons + "/01-a.md"))
    }

    /// The captions of a page's tables, in order.
    func captions(_ page: String) -> [String] {
        page.components(separatedBy: "<figcaption>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The texts of the key's answer cells, in order.
    func answers(_ key: String) -> [String] {
        key.components(separatedBy: "<td class=\"answer\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// Lesson 3's first block: X and the weights are whole numbers, it shows only the projections.
    static let projections = """
        focus: am
        show: [input, projection]
        decimals: 0
        tokens: [I, am, good]
        X: [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]
        W_Q: [[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]
        W_K: [[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]]
        W_V: [[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]]

        """

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
                let value = NumberFormat.fixed(event.values[1, j], decimals: 3)
                #expect(key.contains("<td class=\"answer\">\(value)</td>"), "\(name)[am, \(j)] = \(value) in the key")
            }
        }
        // Other rows are given on both pages.
        let alpha = try #require(block.trace.events.first { $0.name == "α" })
        #expect(page.contains("<td>\(NumberFormat.fixed(alpha.values[0, 0], decimals: 3))</td>"))
    }

    @Test("a block that shows only the projections asks for the focus row of Q, K and V, given X and the weights, and nothing the lesson has not shown")
    func onlyShownStages() throws {
        let sheet = try worksheet(block: Self.projections)
        let page = sheet.render(key: false)
        #expect(captions(page) == ["X, given", "W_Q, given", "W_K, given", "W_V, given", "Q = X·W_Q", "K = X·W_K", "V = X·W_V"])
        #expect(page.components(separatedBy: "<td class=\"blank\"></td>").count - 1 == 9)
        #expect(sheet.blankCount == 9)
        // The row of am: Q = (2, 2, 2), K = (4, 4, 0), V = (2, 8, 0), whole numbers as the block's decimals say.
        #expect(answers(sheet.render(key: true)) == ["2", "2", "2", "4", "4", "0", "2", "8", "0"])
        #expect(!page.contains("√d_k") && !page.contains("softmax"))
    }

    @Test("a projection with a bias gives the bias too")
    func bias() throws {
        let sheet = try worksheet(block: "focus: am\nshow: [projection]\ndecimals: 0\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\nW_Q: [[1, 0], [0, 1]]\nW_K: [[1, 0], [0, 1]]\nW_V: [[1, 0], [0, 1]]\nb_Q: [10, 20]\n")
        #expect(captions(sheet.render(key: false)) == ["X, given", "W_Q, given", "b_Q, given", "W_K, given", "W_V, given", "Q = X·W_Q + b_Q", "K = X·W_K", "V = X·W_V"])
        #expect(answers(sheet.render(key: true)) == ["10", "21", "0", "1", "0", "1"])
    }

    @Test("a block of decimals: 0 still asks for weights with significant digits: α gets at least 2 decimals")
    func weightsDoNotCollapse() throws {
        let sheet = try worksheet(block: "focus: am\ndecimals: 0\ntokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\n")
        let key = sheet.render(key: true)
        let alpha = try #require(sheet.lesson.attentionBlocks[0].trace.events.first { $0.name == "α" })
        // ω, ω_scaled, α, Z: the weights are the third table asked.
        let asked = answers(key)
        #expect(asked.count == 3 + 3 + 3 + 2)
        #expect(Array(asked[6..<9]) == (0..<3).map { NumberFormat.fixed(alpha.values[1, $0], decimals: 2) })
        #expect(asked[6..<9].allSatisfy { $0.hasPrefix("0.") && $0.count == 4 && $0 != "0.00" })
        // ω is whole and stays so; the scaled scores are not and get 2 decimals.
        #expect(Array(asked[0..<3]) == ["0", "1", "1"])
        #expect(asked[3..<6].allSatisfy { $0.count == 4 })
    }

    @Test("the precision rule: the block's decimals; at least 2 when a table is not whole; more, up to 4, until no nonzero number prints as 0",
          arguments: [
            ([[1.0, 2, -3]], 0, 0),
            ([[0.5, 0.25]], 0, 2),
            ([[0.004, 0.996]], 0, 3),
            ([[0.004, 0.996]], 1, 3),
            ([[0.00004, 0.99996]], 0, 4),
            ([[1e-9, 1]], 0, 4),
            ([[1e-9, 1]], 6, 6),
            ([[0.3333, -Double.infinity]], 3, 3),
            ([[0, 0.5]], 5, 5),
          ] as [([[Double]], Int, Int)])
    func precisionRule(_ rows: [[Double]], _ block: Int, _ expected: Int) {
        #expect(Worksheet.decimals(for: Matrix(rows), block: block) == expected)
    }

    @Test("a block larger than 10 × 10 with a focus asks for the focus row of what fits on the page")
    func focusRowOfABigBlock() throws {
        let sheet = try worksheet(block: "focus: am\nshow: [input, similarity, scaling]\ndecimals: 3\ntokens: [I, am, good]\nd_model: 16\nX: {seed: 1}\n")
        let page = sheet.render(key: false)
        // ω needs Q and K, 3 × 16 each: not asked; the scaled scores are, given ω.
        #expect(captions(page) == ["ω = X·Xᵀ, given", "ω_scaled = ω / √d_k,  d_k = 16"])
        #expect(sheet.blankCount == 3)
        #expect(page.contains("Not asked: ω, since working it by hand needs matrices larger than 10 × 10."))
        #expect(page.contains("√d_k = 4.000"))
        let scaled = try #require(sheet.lesson.attentionBlocks[0].trace.events.first { $0.name == "ω_scaled" })
        #expect(answers(sheet.render(key: true)) == (0..<3).map { NumberFormat.fixed(scaled.values[1, $0], decimals: 3) })
        #expect(throws: Never.self) { try sheet.requireBlanks() }
    }

    @Test("a sheet with nothing to fill in is an error that says why, block by block", arguments: [
        ("show: [input]\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\n",
         "it shows only the input, which is given, not computed: show a stage such as similarity or normalization to ask for it"),
        ("tokens: [I, am]\nd_model: 16\nX: {seed: 1}\n",
         "its matrices are larger than 10 × 10; with a focus token (focus: TOKEN) the worksheet would ask for that token's row where it can be worked by hand"),
        ("focus: am\nshow: [similarity]\ntokens: [I, am]\nd_model: 16\nX: {seed: 1}\n",
         "working ω by hand needs matrices larger than 10 × 10"),
    ])
    func nothingToFill(_ block: String, _ reason: String) throws {
        let sheet = try worksheet(block: block)
        #expect(sheet.blankCount == 0)
        do {
            try sheet.requireBlanks()
            Issue.record("no error")
        } catch {
            let text = error.description.replacingOccurrences(of: (sheet.lesson.path as NSString).deletingLastPathComponent, with: "lessons")
            #expect(text == """
                lessons/01-a.md:12:1: no attention block of this lesson leaves a cell to fill in on a worksheet; the notes say why for each block
                  note: Worked example 1 at line 12: \(reason)
                """)
        }
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
