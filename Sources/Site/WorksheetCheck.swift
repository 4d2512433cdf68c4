import AttentionEngine
import Diagnostics
import Foundation
import Lessons
import TraceFormat
import WorkbookChecks

/// `attn check --worksheet FILE`: grades a filled-in answers template of a worksheet
/// (`Worksheet.answersTemplate`).
///
/// The lesson is traced again, so every expected number comes from its trace. A cell is
/// right when it lies in what honest hand work at the sheet's decimals gives (`HandWork`,
/// the rule of the lessons' answer boxes): the numbers read on the way may be rounded to
/// the decimals of the tables they come from, and the answer to its table's decimals. An
/// empty cell is not answered yet, which is no failure. Of each matrix the first wrong
/// cell is reported at its line and column, expected against got, with the likely
/// mistake (`CellMistakes`) when one explains it.
public enum WorksheetCheck {
    public struct Graded: GradedAnswers {
        public let report: String
        public let right: Int
        public let wrong: Int
        public let blank: Int
        public let total: Int
    }

    static let keys = ["lesson", "sheet", "answers"]
    static let example = "lesson: 05-where-to-look\nsheet: where-to-look-worksheet.html\nanswers:\n  example 1:\n    ω:\n      love:\n        I: 2"

    /// One cell as the file gives it.
    struct Filled {
        var value: Double?
        var location: SourceLocation
    }

    public static func grade(_ text: String, path: String, lessons directory: String) throws(Diagnostic) -> Graded {
        let file = try AnswersFile(text, path: path, keys: "lesson, sheet and answers", example: example)
        try file.requireKnownKeys(keys)
        let name = try file.lessonName(example: "lesson: 05-where-to-look")
        let lesson = try AnswersFile.lesson(named: name.name, at: name.location, in: directory)
        let worksheet = Worksheet(lesson: lesson)
        try checkSheet(file, worksheet)
        let tables = worksheet.askedTables
        guard !tables.isEmpty else {
            throw Diagnostic("lesson \(lesson.slugName) has no worksheet: none of its worked examples leaves a cell to fill in", at: name.location)
        }
        let filled = try read(file, tables)
        return report(worksheet, tables, filled, path: path)
    }

    /// `sheet:`, when given, must be the sheet of the lesson `lesson:` names.
    static func checkSheet(_ file: AnswersFile, _ worksheet: Worksheet) throws(Diagnostic) {
        guard let value = file.value("sheet") else { return }
        guard case .text(let sheet, _) = value, sheet == worksheet.sheetFileName else {
            let given: String
            if case .text(let text, _) = value { given = text } else { given = "" }
            throw Diagnostic("this file answers the sheet '\(given)', but lesson: names \(worksheet.lesson.slugName), whose sheet is "
                + "\(worksheet.sheetFileName): grade the answers file written beside that sheet (attn worksheet writes one), "
                + "or correct lesson:", at: value.location)
        }
    }

    // MARK: Reading

    /// The cells the file fills in, by table (index into `tables`) and column.
    static func read(_ file: AnswersFile, _ tables: [Worksheet.AskedTable]) throws(Diagnostic) -> [Int: [Int: Filled]] {
        guard let answers = file.value("answers") else {
            throw Diagnostic("the answers file needs answers: the blank cells of the sheet, as in the template attn worksheet writes", at: file.top)
        }
        if answers.isBlank { return [:] }
        guard case .mapping(let examples, _) = answers else {
            throw Diagnostic("answers holds the worked examples of the sheet, each with its matrices, rows and cells, e.g.\n\(example)", at: answers.location)
        }
        let exampleKeys = unique(tables.map(\.example))
        var filled: [Int: [Int: Filled]] = [:]
        for example in examples {
            guard exampleKeys.contains(example.key) else {
                throw unknown("worked example", example.key, at: example.keyLocation, known: exampleKeys, on: "on the sheet with blanks")
            }
            guard let matrices = try mapping(example.value, what: example.key) else { continue }
            let inExample = tables.indices.filter { tables[$0].example == example.key }
            for matrix in matrices {
                guard let t = inExample.first(where: { tables[$0].matrix == matrix.key }) else {
                    throw unknown("matrix", matrix.key, at: matrix.keyLocation, known: inExample.map { tables[$0].matrix },
                                  on: "asked in \(example.key)")
                }
                let table = tables[t]
                guard let rows = try mapping(matrix.value, what: "\(example.key) → \(table.matrix)") else { continue }
                for row in rows {
                    guard row.key == table.row else {
                        throw Diagnostic("only the row of \(table.row) is blank in \(table.matrix) on the sheet, not '\(row.key)': "
                            + "write its cells under \(Worksheet.yamlKey(table.row)):", at: row.keyLocation)
                    }
                    guard let cells = try mapping(row.value, what: "\(table.matrix)[\(table.row)]") else { continue }
                    for cell in cells {
                        guard let j = table.columns.firstIndex(of: cell.key) else {
                            throw unknown("column", cell.key, at: cell.keyLocation, known: table.columns, on: "of \(table.matrix)")
                        }
                        let value = try AnswersFile.number(cell.value, what: "the cell \(table.matrix)[\(table.row), \(cell.key)]",
                                                           example: table.decimals == 0 ? "3 or -2" : "0.42 or -1.5")
                        filled[t, default: [:]][j] = Filled(value: value, location: value == nil ? cell.keyLocation : cell.value.location)
                    }
                }
            }
        }
        return filled
    }

    /// The entries of a mapping; nil when it is left empty.
    static func mapping(_ value: AnswersFile.Value, what: String) throws(Diagnostic) -> [AnswersFile.Entry]? {
        if value.isBlank { return nil }
        guard case .mapping(let entries, _) = value else {
            throw Diagnostic("\(what) holds keys, one per line and indented under it, as in the template attn worksheet writes", at: value.location)
        }
        return entries
    }

    static func unknown(_ what: String, _ key: String, at location: SourceLocation, known: [String], on place: String) -> Diagnostic {
        let hint = nearest(to: key, in: known).map { "did you mean '\($0)'? " } ?? ""
        return Diagnostic("there is no \(what) '\(key)' \(place): \(hint)the \(what == "matrix" ? "matrices" : what + "s") are "
            + "\(Worksheet.list(known)); is this the answers file of another lesson's sheet, or of an older one?", at: location)
    }

    static func unique(_ keys: [String]) -> [String] {
        var seen: [String] = []
        for key in keys where !seen.contains(key) { seen.append(key) }
        return seen
    }

    // MARK: Grading

    static func report(_ worksheet: Worksheet, _ tables: [Worksheet.AskedTable], _ filled: [Int: [Int: Filled]], path: String) -> Graded {
        let lesson = worksheet.lesson
        var lines: [String] = []
        var right = 0, wrong = 0, blank = 0, total = 0
        var example = ""
        let width = tables.map(\.matrix.count).max() ?? 0
        for (t, table) in tables.enumerated() {
            let block = lesson.attentionBlocks[table.block]
            if table.example != example {
                example = table.example
                lines += ["", "\(exampleName(block)): the row of \(block.spec.tokens[table.rowIndex])"]
            }
            var counts = (right: 0, wrong: 0, blank: 0)
            var first: [String] = []
            for j in table.columns.indices {
                total += 1
                guard let cell = filled[t]?[j], let got = cell.value else { counts.blank += 1; continue }
                let accepted = acceptedRange(table, column: j)
                if accepted.contains(got) { counts.right += 1; continue }
                counts.wrong += 1
                if first.isEmpty { first = wrongCell(got, cell.location, table, column: j, accepted: accepted, in: block) }
            }
            right += counts.right; wrong += counts.wrong; blank += counts.blank
            let name = table.matrix.padding(toLength: width, withPad: " ", startingAt: 0)
            let cells = table.columns.count
            if counts.blank == cells {
                lines.append("  · \(name)  not answered yet (\(cells) cell\(cells == 1 ? "" : "s"))")
            } else {
                let mark = counts.wrong > 0 ? "✗" : counts.blank > 0 ? "·" : "✓"
                let summary = AnswersFile.counts(right: counts.right, of: cells, wrong: counts.wrong, blank: counts.blank)
                lines.append("  \(mark) \(name)  \(summary)")
                lines += first.map { "       " + $0 }
                if counts.wrong > 1 { lines.append("       (the first wrong cell of \(table.matrix); \(counts.wrong - 1) more \(counts.wrong == 2 ? "is" : "are") wrong)") }
            }
        }
        let header = "\(path) — the worksheet of \(lesson.path), “\(lesson.frontMatter.title)”: "
            + AnswersFile.counts(right: right, of: total, things: "cells", wrong: wrong, blank: blank)
        var closing: String
        if wrong > 0 {
            closing = "Look again at the cells marked above: the formula over each table says how its cells are made."
        } else if blank > 0 {
            closing = right == 0 ? "Nothing filled in yet: write your numbers after the colons and run this again."
                : "So far so good: every cell you filled in is right."
        } else {
            closing = "Every cell is right. Well done!"
        }
        closing = "\n" + closing
        return Graded(report: ([header] + lines + [closing]).joined(separator: "\n") + "\n", right: right, wrong: wrong, blank: blank, total: total)
    }

    /// What honest hand work at the sheet's decimals gives for the cell.
    static func acceptedRange(_ table: Worksheet.AskedTable, column j: Int) -> Bounds {
        // A score the mask hides is −∞, and only −∞.
        let expected = table.event.values[table.rowIndex, j]
        if expected.isInfinite { return Bounds(exactly: expected) }
        let bounds = HandWork.bounds(table.event, row: table.rowIndex, column: j, decimals: table.readingDecimals)
        return HandWork.accepted(bounds, decimals: table.decimals)
    }

    static func wrongCell(_ got: Double, _ location: SourceLocation, _ table: Worksheet.AskedTable, column j: Int, accepted: Bounds,
                          in block: AttentionBlock) -> [String] {
        let expected = table.event.values[table.rowIndex, j]
        let cell = "\(table.matrix)[\(table.event.rowLabels[table.rowIndex]), \(table.event.columnLabels[j])]"
        let shown = NumberFormat.fixed(expected, decimals: table.decimals)
        let range: String
        if expected.isInfinite {
            range = " (a score the mask hides: write -inf)"
        } else if accepted.high - accepted.low > 1e-9 * max(1, abs(expected)) {
            let d = min(table.decimals + 1, 12)
            range = " (accepted from \(NumberFormat.fixed(outwards(accepted.low, d, .down), decimals: d)) "
                + "to \(NumberFormat.fixed(outwards(accepted.high, d, .up), decimals: d)))"
        } else {
            range = ""
        }
        var lines = ["\(location): \(cell): expected \(shown)\(range), got \(CellMistakes.number(got))"]
        if let diagnosis = CellMistakes.diagnose(got, table, column: j, in: block, accepted: accepted) {
            lines.append("likely mistake — \(diagnosis.text)")
        }
        return lines
    }

    /// `x` rounded to `decimals` places away from the accepted range's inside (a hair's
    /// breadth from a printed digit prints as that digit), as `Answer.shownRange` shows ranges.
    static func outwards(_ x: Double, _ decimals: Int, _ rule: FloatingPointRoundingRule) -> Double {
        let scale = pow(10, Double(decimals))
        let scaled = x * scale
        return (abs(scaled - scaled.rounded()) < 1e-6 ? scaled.rounded() : scaled.rounded(rule)) / scale
    }
}
