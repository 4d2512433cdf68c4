import Diagnostics
import Testing
@testable import Lessons

@Suite("trace reference grammar")
struct TraceReferenceTests {
    let here = SourceLocation(path: "p.md", line: 1, column: 1)

    @Test("block, matrix alias, head, row, column and part")
    func full() throws {
        let r = try TraceReference.parse(" two:alpha@1[am, good].max ", at: here)
        #expect(r.block == "two")
        #expect(r.matrix == "α")
        #expect(r.head == 1)
        #expect(r.row == "am")
        #expect(r.column == "good")
        #expect(r.part == "max")
        #expect(r.text == "two:alpha@1[am, good].max")
    }

    @Test("aliases name the trace's events", arguments: [
        ("omega", "ω"), ("scores", "ω"), ("scaled", "ω_scaled"), ("omega_masked", "ω_masked"), ("weights", "α"),
        ("z", "Z"), ("context", "Z"), ("concat", "Z_concat"), ("output", "O"), ("ω", "ω"), ("W_Q", "W_Q"), ("d_k", "d_k"),
    ])
    func aliases(_ written: String, _ matrix: String) throws {
        #expect(try TraceReference.parse(written, at: here).matrix == matrix)
    }

    @Test("quoted labels may hold commas, brackets and spaces; #i counts from 0")
    func labels() throws {
        let r = try TraceReference.parse(#"alpha["New York", "a]b"]"#, at: here)
        #expect(r.row == "New York")
        #expect(r.column == "a]b")
        let s = try TraceReference.parse("Z[#2]", at: here)
        #expect(s.row == "#2" && s.column == nil)
    }

    @Test("labels with <, & and Chinese pass through as written")
    func hostileLabels() throws {
        let r = try TraceReference.parse("alpha@1[&, <script>]", at: here)
        #expect(r.row == "&" && r.column == "<script>")
        #expect(try TraceReference.parse("alpha[我, 酸菜鱼]", at: here).column == "酸菜鱼")
    }
}

@Suite("references resolve to the trace's numbers")
struct ReferenceValueTests {
    @Test("cells, rows, sizes and softmax parts")
    func values() throws {
        let lesson = try parse(frontMatter + smallBlock + """
            {{ alpha[am, good] }} {{ alpha[am] }} {{ d_k }} {{ n }} {{ sqrt_d_k }} {{ alpha[am, good].sum }}
            {{ alpha[#1, #2] }} {{ small:omega[am, am] }} {{ alpha[am, am].max }} {{ alpha[am, good].exp }}

            """)
        let values = lesson.spans.indices.compactMap { lesson.references[$0]?.value }
        #expect(values.count == 10)
        guard case .number(let weight) = values[0], case .vector(let row) = values[1], case .number(let sum) = values[5],
              case .number(let same) = values[6], case .number(let score) = values[7], case .number(let max) = values[8],
              case .number(let exp) = values[9] else {
            Issue.record("unexpected kinds: \(values)"); return
        }
        #expect(row.count == 3 && row[2] == weight && same == weight)
        #expect(abs(row.reduce(0, +) - 1) < 1e-12)
        #expect(values[2] == .integer(2) && values[3] == .integer(3))
        #expect(values[4] == .number(2.0.squareRoot()))
        // X = [[1,0],[0,1],[1,1]]: ω[am, am] = 1, ω[am, good] = 1; scaled by √2.
        #expect(score == 1)
        #expect(abs(max - 1 / 2.0.squareRoot()) < 1e-12)
        #expect(abs(exp / sum - weight) < 1e-12)
    }

    @Test("the nearest block above is the default; a name picks another")
    func nearest() throws {
        let lesson = try parse(frontMatter + smallBlock + "{{ n }}\n\n```attention\ntokens: [a]\nX: [[1]]\n```\n\n{{ n }} {{ small:n }}\n")
        let values = lesson.spans.indices.compactMap { lesson.references[$0] }
        #expect(values.map(\.value) == [.integer(3), .integer(1), .integer(3)])
        #expect(values.map(\.block) == [0, 1, 0])
    }
}
