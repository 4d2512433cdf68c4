import AttentionEngine
import Lessons
import TraceFormat

/// The answers template of a worksheet: a YAML file with one key per blank cell, written
/// beside the sheet, for the student to fill in and grade with `attn check --worksheet`
/// (`WorksheetCheck`).
///
///     lesson: 05-where-to-look
///     sheet: where-to-look-worksheet.html
///     answers:
///       example 1:          # Worked example 1 (Hello I love you): the row of love
///         ω:                # ω = Q·Kᵀ · whole numbers
///           love:           # the blank row
///             Hello:        # one key per blank cell: the column's label
///             I:
///
/// Examples are `example N` as the sheet numbers its worked examples; a matrix is named as
/// at the top left of its table (with its head when the block has several); the row is the
/// blank row's token and the columns the table's column labels (a label that appears twice
/// gets its position: `the #2`).
extension Worksheet {
    /// One table asked on the sheet, and the keys its blank cells have in the answers file.
    public struct AskedTable: Sendable {
        /// `attentionBlocks[block]`
        let block: Int
        let example: String
        let matrix: String
        let row: String
        let columns: [String]
        /// The row of the event left blank.
        let rowIndex: Int
        let event: TraceEvent
        let caption: String
        /// The decimals the table is printed with.
        let decimals: Int
        /// The fewest decimals among the table and the tables it is made from: the numbers
        /// a student reads while working a cell may be rounded to that many.
        let readingDecimals: Int
    }

    /// Every asked table, in the order of the sheet.
    public var askedTables: [AskedTable] {
        var tables: [AskedTable] = []
        for (index, (block, plan)) in zip(lesson.attentionBlocks, plans).enumerated() {
            var names: [String] = []
            for table in plan.asked {
                guard let event = table.event, let row = table.blank else { continue }
                let name = table.name + (block.spec.heads > 1 ? event.head.map { " (head \($0))" } ?? "" : "")
                // Never two matrices of one example under the same key.
                let matrix = names.contains(name) ? "\(name) #\(names.filter { $0 == name }.count + 1)" : name
                names.append(name)
                let decimals = Self.decimals(for: table.values, block: block.decimals)
                let reading = event.operands.map { Self.decimals(for: $0.matrix, block: block.decimals) }.min().map { min($0, decimals) } ?? decimals
                tables.append(AskedTable(block: index, example: "example \(block.ordinal)", matrix: matrix,
                                         row: Self.keys(table.rowLabels)[row], columns: Self.keys(table.columnLabels), rowIndex: row,
                                         event: event, caption: table.caption, decimals: decimals, readingDecimals: reading))
            }
        }
        return tables
    }

    /// Labels as keys: a label that appears more than once gets its position (`the #2`).
    static func keys(_ labels: [String]) -> [String] {
        labels.enumerated().map { j, label in labels.filter { $0 == label }.count > 1 ? "\(label) #\(j)" : label }
    }

    /// "whole numbers" or "2 decimals": how a table's cells are rounded.
    static func rounding(_ decimals: Int) -> String {
        decimals == 0 ? "whole numbers" : "\(decimals) decimal\(decimals == 1 ? "" : "s")"
    }

    /// The template: every blank cell of the sheet, empty.
    public func answersTemplate() -> String {
        let tables = askedTables
        let masked = tables.contains { table in (0..<table.event.values.columns).contains { table.event.values[table.rowIndex, $0] == -.infinity } }
        var lines = [
            "# Your answers to the worksheet of lesson \(lesson.order), “\(lesson.frontMatter.title)” (\(sheetFileName)).",
            "#",
            "# Each blank cell of the printed sheet has a line below, under its worked example,",
            "# its matrix (named as at the top left of its table) and its row (the token whose",
            "# row is blank); the key of the line is the cell's column. Write your number after",
            "# the colon and a space, rounded as the other cells of its table are (the comment",
            "# beside each matrix says how), e.g.   good: 0.42",
        ]
        if masked { lines.append("# A score the mask hides is minus infinity: write it as -inf.") }
        lines += [
            "# Leave a cell empty while you have not worked it out. Then grade the file:",
            "#   attn check --worksheet \(answersFileName)",
            "lesson: \(Self.yamlKey(lesson.slugName))",
            "sheet: \(Self.yamlKey(sheetFileName))",
            "answers:",
        ]
        var example = ""
        for table in tables {
            if table.example != example {
                example = table.example
                let block = lesson.attentionBlocks[table.block]
                lines.append("  \(Self.yamlKey(example)):  # \(exampleName(block)): the row of \(block.spec.tokens[table.rowIndex])")
            }
            lines.append("    \(Self.yamlKey(table.matrix)):  # \(table.caption) · \(Self.rounding(table.decimals))")
            lines.append("      \(Self.yamlKey(table.row)):")
            for column in table.columns { lines.append("        \(Self.yamlKey(column)):") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A key as YAML reads it back unchanged: plain when that is safe, else double-quoted.
    static func yamlKey(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]
        let plain = !text.isEmpty && !reserved.contains(text.lowercased())
            && text.first.map { $0.isLetter || $0.isNumber } == true
            && text.last.map { $0.isLetter || $0.isNumber || $0 == ")" || $0 == "'" } == true
            && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || " _-.()'·ᵀ".unicodeScalars.contains($0) || $0.properties.numericType != nil }
            && !text.contains("  ")
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || [0x2028, 0x2029, 0xFEFF].contains(scalar.value):
                quoted += "\\u" + String(repeating: "0", count: max(0, 4 - String(scalar.value, radix: 16).count)) + String(scalar.value, radix: 16)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
