import AttentionEngine
import Diagnostics
import Foundation
import Lessons
import TestSupport
import Testing
@testable import Site
import TraceFormat
import WorkbookChecks

@Suite("attn check --worksheet")
struct WorksheetCheckTests {
    /// A masked, scaled block whose numbers are all different: every mistake changes a cell.
    static let masked = "focus: good\ndecimals: 2\nmask: causal\ntokens: [I, am, good, food]\nX: [[1, 0, 2], [0, 1, 1], [2, 1, 0], [1, 2, 1]]\n"
        + "W_Q: [[1, 0], [0.5, 1], [0, 1.5]]\nW_K: [[0.5, 1], [1, 0], [0, 2]]\nW_V: [[1, 2], [0, 1], [3, 0]]\n"

    /// A lesson folder holding one lesson (01-a.md) of one attention block, and its worksheet.
    struct Fixture {
        let scratch: Scratch
        let sheet: Worksheet
        var path: String { scratch.path + "/answers.yaml" }

        init(block: String = WorksheetCheckTests.masked) throws {
            scratch = try Scratch()
            try scratch.writeLessons(["01-a.md": frontMatter + "## Looking\n\nThe query *good*.\n\n```attention\n" + block + "```\n"])
            sheet = Worksheet(lesson: try Worksheet.lesson(at: scratch.lessons + "/01-a.md"))
        }

        var template: String { sheet.answersTemplate() }

        /// The template with the k-th blank cell (sheet order) given `answers[k]` (nil: left blank).
        func filled(_ answers: [String?]) -> String {
            var k = 0
            return template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("        "), line.hasSuffix(":") else { return String(line) }
                defer { k += 1 }
                return answers[k].map { "\(line) \($0)" } ?? String(line)
            }.joined(separator: "\n")
        }

        /// The answers the key prints, in order.
        var key: [String] {
            sheet.render(key: true).components(separatedBy: "<td class=\"answer\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        }

        func grade(_ text: String) throws(Diagnostic) -> WorksheetCheck.Graded {
            try WorksheetCheck.grade(text, path: path, lessons: scratch.lessons)
        }

        /// The flat index (sheet order) of `column` of the table `matrix`.
        func index(_ matrix: String, _ column: Int) throws -> Int {
            var k = 0
            for table in sheet.askedTables {
                if table.matrix == matrix { return k + column }
                k += table.columns.count
            }
            throw CancellationError()
        }

        func table(_ matrix: String) throws -> Worksheet.AskedTable {
            try #require(sheet.askedTables.first { $0.matrix == matrix })
        }
    }

    /// The keys of the blank cells in a template, read back with the same reader the grader uses.
    func cellKeys(_ template: String) throws -> [String] {
        let file = try AnswersFileReader.read(template)
        return file
    }

    @Test("the template has one key per blank cell of the sheet, under the sheet's example, matrix and row labels")
    func oneKeyPerBlank() throws {
        let fixture = try Fixture()
        defer { fixture.scratch.remove() }
        let blanks = fixture.sheet.render(key: false).components(separatedBy: "<td class=\"blank\"></td>").count - 1
        let keys = try cellKeys(fixture.template)
        #expect(keys.count == blanks)
        #expect(keys.count == fixture.sheet.blankCount)
        // The row of good in every asked matrix; the columns as the sheet labels them.
        let block = fixture.sheet.lesson.attentionBlocks[0]
        let expected = fixture.sheet.askedTables.flatMap { table in
            table.event.columnLabels.map { "example 1/\(table.matrix)/\(block.spec.tokens[block.focus!])/\($0)" }
        }
        #expect(keys == expected)
        #expect(Set(fixture.sheet.askedTables.map(\.matrix)).isSuperset(of: ["ω", "ω_scaled", "ω_masked", "α", "Z"]))
        #expect(fixture.template == fixture.sheet.answersTemplate(), "deterministic")
    }

    @Test("labels that YAML would misread are quoted and read back unchanged; a repeated token gets its position")
    func hostileLabels() throws {
        let fixture = try Fixture(block: "focus: '#1'\ndecimals: 0\ntokens: ['yes', 'a: b', 'yes', '\"q\" #x']\nX: [[1, 0], [0, 1], [1, 1], [2, 0]]\n")
        defer { fixture.scratch.remove() }
        let keys = try cellKeys(fixture.template)
        let tokens = ["yes #0", "a: b", "yes #2", "\"q\" #x"]
        #expect(keys.count == fixture.sheet.blankCount)
        #expect(keys.filter { $0.contains("/ω/") } == tokens.map { "example 1/ω/a: b/\($0)" })
        // Filled from the key, it grades as right.
        let graded = try fixture.grade(fixture.filled(fixture.key))
        #expect(graded.wrong == 0 && graded.right == graded.total, "\(graded.report)")
    }

    @Test("filled in from the answer key, every cell of every worksheet of the course is right",
          arguments: ["01", "02", "03", "04", "05", "06", "07", "08", "09"])
    func courseFromKey(_ number: String) throws {
        let folder = repositoryRoot.appendingPathComponent("lessons").path
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix(number + "-") })
        let sheet = Worksheet(lesson: try Worksheet.lesson(at: folder + "/" + file))
        guard sheet.blankCount > 0 else { return }
        let key = sheet.render(key: true).components(separatedBy: "<td class=\"answer\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        var k = 0
        let text = sheet.answersTemplate().split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("        "), line.hasSuffix(":") else { return String(line) }
            defer { k += 1 }
            return "\(line) \(key[k])"
        }.joined(separator: "\n")
        #expect(k == key.count)
        let graded = try WorksheetCheck.grade(text, path: "answers.yaml", lessons: folder)
        #expect(graded.right == sheet.blankCount && graded.wrong == 0 && graded.blank == 0, "\(graded.report)")
        #expect(graded.report.contains("Every cell is right."))
    }

    @Test("an untouched template: every cell not answered, and no failure")
    func blanks() throws {
        let fixture = try Fixture()
        defer { fixture.scratch.remove() }
        let graded = try fixture.grade(fixture.template)
        #expect(graded.right == 0 && graded.wrong == 0 && graded.blank == fixture.sheet.blankCount)
        #expect(graded.report.contains("0 of \(fixture.sheet.blankCount) cells right, \(fixture.sheet.blankCount) not answered"))
        #expect(graded.report.contains("  · α"))
        // Half filled in from the key: right so far, the rest not answered.
        let half = fixture.key.enumerated().map { $0.offset % 2 == 0 ? $0.element : nil }
        let partly = try fixture.grade(fixture.filled(half))
        #expect(partly.wrong == 0 && partly.right == (fixture.key.count + 1) / 2 && partly.blank == fixture.key.count / 2)
        #expect(partly.report.contains("So far so good"))
    }

    @Test("the first wrong cell of a matrix is reported at its line and column, with its row and column labels, expected against got")
    func firstWrongCell() throws {
        let fixture = try Fixture()
        defer { fixture.scratch.remove() }
        var answers: [String?] = fixture.key
        let alpha = try fixture.table("α")
        let (first, second) = (try fixture.index("α", 1), try fixture.index("α", 2))
        answers[first] = "0.99"
        answers[second] = "0.98"
        let text = fixture.filled(answers)
        let graded = try fixture.grade(text)
        #expect(graded.wrong == 2 && graded.right == fixture.key.count - 2)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.hasSuffix(": 0.99") }) + 1
        let column = lines[line - 1].count - "0.99".count + 1
        let block = fixture.sheet.lesson.attentionBlocks[0]
        let cell = "α[\(block.spec.tokens[2]), \(alpha.event.columnLabels[1])]"
        let expected = NumberFormat.fixed(alpha.event.values[2, 1], decimals: alpha.decimals)
        #expect(graded.report.contains("\(fixture.path):\(line):\(column): \(cell): expected \(expected) (accepted from "), "\(graded.report)")
        #expect(graded.report.contains(", got 0.99\n"))
        #expect(graded.report.contains("(the first wrong cell of α; 1 more is wrong)"))
        #expect(!graded.report.contains("got 0.98"))
    }

    /// The softmax of a row, −∞ giving 0 — computed here, apart from the code under test.
    func softmax(_ row: [Double]) -> [Double] {
        let m = row.filter(\.isFinite).max()!
        let e = row.map { $0 == -.infinity ? 0 : Foundation.exp($0 - m) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// Each mistake applied to the traced inputs of one matrix: (matrix, kind, the wrong row).
    func mistakes(_ fixture: Fixture) throws -> [(String, Diagnosis.Kind, [Double])] {
        let events = fixture.sheet.lesson.attentionBlocks[0].trace.events
        func values(_ name: String) throws -> Matrix { try #require(events.first { $0.name == name }).values }
        let (X, V, ω, scaled, maskedScores, α) = (try values("X"), try values("V"), try values("ω"), try values("ω_scaled"), try values("ω_masked"), try values("α"))
        let i = 2, n = 4, dK = 2.0
        let row = { (m: Matrix, r: Int) in (0..<m.columns).map { m[r, $0] } }
        let hidden = (0..<n).map { $0 > i }
        let masked = { (r: [Double]) in zip(r, hidden).map { $1 ? -Double.infinity : $0 } }
        let z = { (weights: [Double], values: Matrix) in (0..<2).map { j in (0..<n).reduce(0.0) { $0 + weights[$1] * values[$1, j] } } }
        let overColumns = (0..<n).map { j in softmax((0..<n).map { maskedScores[$0, j] })[i] }
        let m = row(maskedScores, i).filter(\.isFinite).max()!
        let afterSoftmax = zip(softmax(row(scaled, i)), hidden).map { $1 ? 0 : $0 }
        return [
            ("ω", .transposedScores, (0..<n).map { ω[$0, i] }),
            ("ω_scaled", .noScaling, row(ω, i)),
            ("ω_scaled", .dividedByDk, row(ω, i).map { $0 / dK }),
            ("ω_masked", .noMask, row(scaled, i)),
            ("ω_masked", .maskWithZero, row(maskedScores, i).map { $0 == -.infinity ? 0 : $0 }),
            ("α", .noScaling, softmax(masked(row(ω, i)))),
            ("α", .dividedByDk, softmax(masked(row(ω, i).map { $0 / dK }))),
            ("α", .softmaxOverColumns, overColumns),
            ("α", .notNormalized, row(maskedScores, i).map { $0 == -.infinity ? 0 : Foundation.exp($0 - m) }),
            ("α", .maskAfterSoftmax, afterSoftmax),
            ("Z", .wrongWeightsRow, z(row(α, 1), V)),
            ("Z", .valuesWithoutProjection, z(row(α, i), X)),
            ("Z", .softmaxOverColumns, z(overColumns, V)),
            ("Z", .maskAfterSoftmax, z(afterSoftmax, V)),
        ]
    }

    @Test("each mistake a cell can show, applied to the traced inputs, is named as the workbook names it")
    func likelyMistakes() throws {
        let fixture = try Fixture()
        defer { fixture.scratch.remove() }
        let block = fixture.sheet.lesson.attentionBlocks[0]
        for (matrix, kind, wrongRow) in try mistakes(fixture) {
            let table = try fixture.table(matrix)
            // The first cell the mistake makes wrong at the sheet's decimals.
            let cells = wrongRow.indices.map { j -> (Int, Double) in
                let x = wrongRow[j]
                return (j, x.isFinite ? Bounds.round(x, table.decimals) : x)
            }
            let found = cells.first { !WorksheetCheck.acceptedRange(table, column: $0.0).contains($0.1) }
            let (j, got) = try #require(found, "\(kind) changes no cell of \(matrix)")
            let diagnosis = CellMistakes.diagnose(got, table, column: j, in: block, accepted: WorksheetCheck.acceptedRange(table, column: j))
            #expect(diagnosis?.kind == kind, "\(matrix)[\(j)] = \(got): \(String(describing: diagnosis))")
            // And in the report, under the first wrong cell.
            var answers: [String?] = fixture.key
            answers[try fixture.index(matrix, j)] = got.isFinite ? NumberFormat.fixed(got, decimals: table.decimals) : "-inf"
            let graded = try fixture.grade(fixture.filled(answers))
            #expect(graded.wrong == 1)
            #expect(graded.report.contains("likely mistake — \(diagnosis?.text ?? "?")"), "\(graded.report)")
        }
    }

    @Test("rounding too early: the weights worked from scores rounded to whole numbers")
    func roundedTooEarly() throws {
        let fixture = try Fixture()
        defer { fixture.scratch.remove() }
        let block = fixture.sheet.lesson.attentionBlocks[0]
        let table = try fixture.table("α")
        let scores = try #require(table.event.operands.first?.matrix)
        let early = softmax((0..<4).map { scores[2, $0].isFinite ? scores[2, $0].rounded() : scores[2, $0] })
        let cells = early.indices.map { ($0, Bounds.round(early[$0], table.decimals)) }
        let (j, got) = try #require(cells.first { !WorksheetCheck.acceptedRange(table, column: $0.0).contains($0.1) })
        let diagnosis = CellMistakes.diagnose(got, table, column: j, in: block, accepted: WorksheetCheck.acceptedRange(table, column: j))
        #expect(diagnosis?.kind == .roundedTooEarly, "\(String(describing: diagnosis))")
    }

    @Test("a bad answers file is reported at its line and column, and nothing is graded", arguments: [
        ("        am:", "        am: 0.4: 5", "this is not valid YAML"),
        ("lesson: 01-a", "lesson: 02-b", "there is no lesson '02-b' in "),
        ("sheet: a-worksheet.html", "sheet: b-worksheet.html", "this file answers the sheet 'b-worksheet.html', but lesson: names 01-a"),
        ("    α:", "    alpha:", "there is no matrix 'alpha' asked in example 1: "),
        ("  example 1:", "  example 9:", "there is no worked example 'example 9' on the sheet with blanks: "),
        ("      good:", "      food:", "only the row of good is blank in Q on the sheet, not 'food': write its cells under good:"),
        ("        I:", "        You:", "there is no column 'You' of ω: "),
        ("        am:", "        am: 0.4x", "'0.4x' is not a number: write the cell ω[good, am] as a decimal number"),
        ("lesson: 01-a", "lessons: 01-a", "unknown key 'lessons': did you mean 'lesson'?"),
    ])
    func badInput(_ original: String, _ replacement: String, _ message: String) throws {
        let fixture = try Fixture()
        defer { fixture.scratch.remove() }
        let template = fixture.template
        let lines = template.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let n = try #require(lines.firstIndex { $0 == original || $0.hasPrefix(original + " ") || $0.hasPrefix(original + "  #") })
        var changed = lines
        changed[n] = replacement + lines[n].dropFirst(original.count)
        do {
            let graded = try fixture.grade(changed.joined(separator: "\n"))
            Issue.record("graded: \(graded.report)")
        } catch {
            #expect(error.location?.path == fixture.path)
            #expect(error.location?.line == n + 1, "\(error.description)")
            #expect(error.message.contains(message), "\(error.description)")
        }
    }
}

/// The blank-cell keys of an answers template, as `example/matrix/row/column`.
enum AnswersFileReader {
    static func read(_ text: String) throws -> [String] {
        let file = try Lessons.AnswersFile(text, path: "t.yaml", keys: "", example: "")
        guard case .mapping(let examples, _)? = file.value("answers") else { return [] }
        var keys: [String] = []
        for example in examples {
            guard case .mapping(let matrices, _) = example.value else { continue }
            for matrix in matrices {
                guard case .mapping(let rows, _) = matrix.value else { continue }
                for row in rows {
                    guard case .mapping(let cells, _) = row.value else { continue }
                    for cell in cells where cell.value.isBlank { keys.append("\(example.key)/\(matrix.key)/\(row.key)/\(cell.key)") }
                }
            }
        }
        return keys
    }
}
