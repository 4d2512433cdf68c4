import AttentionEngine
import Diagnostics
import Foundation
import HTML
import Lessons
import Markdown
import TraceFormat

/// `attn worksheet`: a lesson's worked examples as a printable exercise sheet, and its
/// answer key.
///
/// For every attention block the sheet asks for the stages the block *shows* (its
/// `show:`), never for one the lesson has not taught: of each shown matrix that is made
/// from others (X_pos, Q, K, V, ω, the scaled and masked scores, α, Z, Z_concat, O) the row
/// of the block's focus token is left blank (the first token's when it has no focus). The
/// matrices those rows are made from are given in full. The key is the same page with
/// the blank cells filled in. No JavaScript, no network; the stylesheet is in the page and
/// prints on A4 and Letter alike.
///
/// Every table printed is at most `maxCells` × `maxCells`. A bigger block asks only for
/// what can be worked from tables that small (for example the scaled scores of a block of
/// width 768, given ω), and only when it has a focus token; otherwise it is left out with
/// a note.
///
/// Numbers are rounded to the block's `decimals`, raised where that would make the answers
/// meaningless (see `decimals(for:block:)`).
public struct Worksheet: Sendable {
    public let lesson: Lesson
    /// What the sheet asks of each attention block, in order.
    let plans: [Plan]

    /// Tables wider or longer than this are not printed: too many cells to do by hand.
    public static let maxCells = 10
    /// The stages a worksheet can ask for: those computed from other matrices.
    public static let askableStages: [Stage] = [.positional, .projection, .similarity, .scaling, .masking, .normalization, .context, .concat, .output]
    /// The fewest decimals of a table whose numbers are not all whole, and the most that
    /// are added so that its small numbers do not round to zero.
    public static let minimumDecimals = 2
    public static let maximumDecimals = 4

    public init(lesson: Lesson) {
        self.lesson = lesson
        plans = lesson.attentionBlocks.map(Self.plan)
    }

    /// Parses one lesson file (no other lesson needs to build).
    public static func lesson(at path: String, options: MarkdownOptions = .safe) throws(Diagnostic) -> Lesson {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic("attn: cannot read the lesson '\(path)'", at: nil)
        }
        let text = try MarkdownDocument.decode(data, path: path)
        return try LessonParser.parse(text, path: path, fileName: (path as NSString).lastPathComponent, options: options)
    }

    public var sheetFileName: String { "\(lesson.slug)-worksheet.html" }
    public var keyFileName: String { "\(lesson.slug)-key.html" }
    /// The answers template written beside the sheet (`WorksheetAnswers`).
    public var answersFileName: String { "\(lesson.slug)-worksheet.answers.yaml" }

    /// The number of cells the student fills in.
    public var blankCount: Int {
        plans.reduce(0) { $0 + $1.asked.reduce(0) { $0 + $1.values.columns } }
    }

    /// Fails when the sheet would have nothing to fill in, saying why for each block: a
    /// worksheet of only given numbers is no worksheet.
    public func requireBlanks() throws(Diagnostic) {
        guard blankCount == 0 else { return }
        let blocks = lesson.attentionBlocks
        guard let first = blocks.first else {
            throw Diagnostic("this lesson has no attention block, so a worksheet would have nothing to fill in: add one (docs/authoring.md, \"Attention blocks\")",
                             at: SourceLocation(path: lesson.path, line: 1, column: 1))
        }
        var notes: [String] = []
        for (block, plan) in zip(blocks, plans) {
            notes.append("\(exampleName(block)) at line \(block.location.line): \(plan.reason ?? "nothing to ask")")
        }
        throw Diagnostic("no attention block of this lesson leaves a cell to fill in on a worksheet; the notes say why for each block", at: first.location, notes: notes)
    }

    /// The student's sheet (`key: false`) or the answer key (`key: true`).
    public func render(key: Bool) -> String {
        let front = lesson.frontMatter
        var body: [Node] = [
            .element("header", [
                .element("p", ["class": "kicker"], [.text(key ? "Answer key · Lesson \(lesson.order)" : "Worksheet · Lesson \(lesson.order)")]),
                .element("h1", [.text(front.title)]),
            ]),
        ]
        if key {
            body.append(.element("p", ["class": "instructions"], [.text("The shaded cells are the ones left blank on the worksheet (\(sheetFileName)).")]))
        } else {
            body.append(.element("p", ["class": "name"], ["Name: ", .element("span", ["class": "line"], []), " Date: ", .element("span", ["class": "line short"], [])]))
            body.append(.element("p", ["class": "instructions"], [
                "Fill in the empty cells by hand, rounding as the other cells of the table are rounded. The formula above each table says how its cells are made.",
            ]))
        }
        for (block, plan) in zip(lesson.attentionBlocks, plans) {
            if plan.asked.isEmpty {
                body.append(.element("p", ["class": "skipped"], [.text("\(exampleName(block)) is left out: \(plan.reason ?? "it has nothing to ask").")]))
            } else {
                body.append(section(block, plan, key: key))
            }
        }
        if blankCount == 0 {
            body.append(.element("p", ["class": "skipped"], ["This lesson has no worked example that leaves a cell to fill in."]))
        }
        body.append(.element("footer", [.element("p", [.text("Made by attn from \((lesson.path as NSString).lastPathComponent); every number was computed from the lesson's spec.")])]))
        return Document(lang: "en", head: [
            .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            .element("title", [.text("\(front.title) · \(key ? "answer key" : "worksheet") · attn")]),
            .element("style", [.text(Self.css)]),
        ], body: [.element("main", body)]).render()
    }

    // MARK: What is asked

    /// One printed matrix: given in full, or with the row `blank` left blank.
    struct Table {
        var name: String
        var caption: String
        var rowLabels: [String]
        var columnLabels: [String]
        var values: Matrix
        var blank: Int?
        /// The event an asked table shows (nil for a given one).
        var event: TraceEvent? = nil
    }

    /// A block's part of the sheet.
    struct Plan {
        var given: [Table] = []
        var asked: [Table] = []
        /// Whether a scaled-score row is asked (the task then gives √d_k).
        var asksScaling = false
        /// Shown matrices that are not asked: working them needs tables too big to print.
        var leftOut: [String] = []
        /// Why nothing is asked, when nothing is.
        var reason: String?
    }

    /// The row that is left blank: the focus token's, else the first.
    static func blankRow(_ block: AttentionBlock) -> Int { block.focus ?? 0 }

    static func fits(_ m: Matrix) -> Bool { m.rows <= maxCells && m.columns <= maxCells }

    /// Whether `operand` is the result of `event`: the same name (or the name with its head
    /// as a subscript, as the heads' Z₀, Z₁ in Z_concat) and the same numbers under the same labels.
    static func isResult(_ operand: Operand, of event: TraceEvent) -> Bool {
        let suffix = operand.name.hasPrefix(event.name) ? operand.name.dropFirst(event.name.count) : nil
        guard let suffix, suffix.allSatisfy({ ("₀"..."₉").contains($0) }) else { return false }
        return operand.matrix == event.values && operand.rowLabels == event.rowLabels && operand.columnLabels == event.columnLabels
    }

    /// Asks for the focus row of each shown stage's matrices whose rows are the tokens,
    /// when it and what it is made from fit on the page; gives what they are made from.
    static func plan(_ block: AttentionBlock) -> Plan {
        var plan = Plan()
        let events = block.trace.events
        let tooBig = events.contains { !fits($0.values) }
        if tooBig, block.focus == nil {
            plan.reason = "its matrices are larger than \(maxCells) × \(maxCells); with a focus token (focus: TOKEN) the worksheet would ask for that token's row where it can be worked by hand"
            return plan
        }
        let row = blankRow(block)
        let tokens = block.spec.tokens
        let candidates = events.filter { askableStages.contains($0.stage) && block.stages.contains($0.stage) && $0.rowLabels == tokens }
        var asked: [TraceEvent] = []
        var leftOut: [String] = []
        for event in candidates {
            let workable = fits(event.values) && event.operands.allSatisfy { operand in
                asked.contains { isResult(operand, of: $0) } || fits(operand.matrix)
            }
            if workable {
                asked.append(event)
            } else if !leftOut.contains(event.name) {
                leftOut.append(event.name)
            }
        }
        guard !asked.isEmpty else {
            plan.reason = candidates.isEmpty
                ? "it shows only the input, which is given, not computed: show a stage such as similarity or normalization to ask for it"
                : "working \(list(leftOut)) by hand needs matrices larger than \(maxCells) × \(maxCells)"
            return plan
        }
        plan.leftOut = leftOut
        let heads = block.spec.heads
        for event in asked {
            let note = heads > 1 ? event.head.map { " (head \($0))" } ?? "" : ""
            for operand in event.operands where !asked.contains(where: { isResult(operand, of: $0) }) {
                // The event that made it, if any, gives the formula; a matrix no event made in a
                // head's work (W_Q, X[1]) is that head's slice of it.
                let maker = events.first { isResult(operand, of: $0) }
                let headNote = heads > 1 ? (maker == nil ? event.head : maker?.head).map { " (head \($0))" } ?? "" : ""
                let base = maker.flatMap { $0.stage == .input ? nil : $0.formula } ?? operand.name
                let caption = base + headNote + ", given"
                guard !plan.given.contains(where: { $0.caption == caption && $0.values == operand.matrix }) else { continue }
                plan.given.append(Table(name: operand.name, caption: caption, rowLabels: operand.rowLabels,
                                        columnLabels: operand.columnLabels, values: operand.matrix, blank: nil))
            }
            if let bias = bias(of: event, in: block.spec) {
                let caption = bias.name + note + ", given"
                if !plan.given.contains(where: { $0.caption == caption }) {
                    plan.given.append(Table(name: bias.name, caption: caption, rowLabels: ["b"], columnLabels: event.columnLabels,
                                            values: Matrix([bias.values]), blank: nil))
                }
            }
            plan.asked.append(Table(name: event.name, caption: event.formula + note, rowLabels: event.rowLabels,
                                    columnLabels: event.columnLabels, values: event.values, blank: row, event: event))
            if event.stage == .scaling { plan.asksScaling = true }
        }
        return plan
    }

    /// The bias added in a projection or the output, for the columns of the event's head.
    static func bias(of event: TraceEvent, in spec: AttentionSpec) -> (name: String, values: [Double])? {
        let width = event.values.columns
        let start = (event.head ?? 0) * width
        let full: [Double]?
        switch (event.stage, event.name) {
        case (.projection, "Q"): full = spec.projection?.b_Q
        case (.projection, "K"): full = spec.projection?.b_K
        case (.projection, "V"): full = spec.projection?.b_V
        case (.output, _): return spec.output?.b_O.map { ("b_O", $0) }
        default: return nil
        }
        guard let full, start + width <= full.count else { return nil }
        return ("b_\(event.name)", Array(full[start..<(start + width)]))
    }

    static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }

    /// The decimals a table is printed with: the block's `decimals`, except that a table
    /// holding numbers that are not whole gets at least `minimumDecimals` (2), and more,
    /// up to `maximumDecimals` (4), until none of its nonzero numbers prints as zero. A
    /// block with more decimals keeps them. So a weight of 0.004 in a block of
    /// `decimals: 0` prints as 0.004, not 0; a table of whole numbers stays as it is.
    public static func decimals(for values: Matrix, block decimals: Int) -> Int {
        let finite = values.storage.filter(\.isFinite)
        guard finite.contains(where: { $0 != $0.rounded() }) else { return decimals }
        var d = max(decimals, minimumDecimals)
        func printsAsZero(_ x: Double) -> Bool {
            x != 0 && NumberFormat.fixed(x, decimals: d).allSatisfy { $0 == "0" || $0 == "." || $0 == "−" }
        }
        while d < maximumDecimals, finite.contains(where: printsAsZero) { d += 1 }
        return d
    }

    // MARK: Rendering

    func section(_ block: AttentionBlock, _ plan: Plan, key: Bool) -> Node {
        let token = block.spec.tokens[Self.blankRow(block)]
        let scale = plan.asksScaling ? " (d_k = \(block.spec.dK), √d_k = \(NumberFormat.fixed(Double(block.spec.dK).squareRoot(), decimals: max(block.decimals, 2))))" : ""
        var children: [Node] = [
            .element("h2", [.text(exampleName(block))]),
            .element("p", ["class": "task"], [.text("Tokens: \(block.spec.tokens.joined(separator: " ")). Work out the row of "), .element("strong", [.text(token)]),
                                              .text(scale + ".")]),
        ]
        if !plan.leftOut.isEmpty {
            let them = plan.leftOut.count == 1 ? "it" : "them"
            children.append(.element("p", ["class": "skipped"], [.text("Not asked: \(Self.list(plan.leftOut)), since working \(them) "
                + "by hand needs matrices larger than \(Self.maxCells) × \(Self.maxCells).")]))
        }
        children.append(.element("div", ["class": "given"], plan.given.map { matrix($0, key: key, decimals: block.decimals) }))
        for table in plan.asked { children.append(matrix(table, key: key, decimals: block.decimals)) }
        return .element("section", ["class": "block"], children)
    }

    func matrix(_ table: Table, key: Bool, decimals blockDecimals: Int) -> Node {
        let decimals = Self.decimals(for: table.values, block: blockDecimals)
        var rows: [Node] = [
            .element("tr", [.element("th", ["scope": "col"], [.text(table.name)])] + table.columnLabels.map { .element("th", ["scope": "col"], [.text($0)]) }),
        ]
        for i in 0..<table.values.rows {
            var cells: [Node] = [.element("th", ["scope": "row"], [.text(table.rowLabels[i])])]
            for j in 0..<table.values.columns {
                let text = NumberFormat.fixed(table.values[i, j], decimals: decimals)
                if i == table.blank {
                    cells.append(key ? .element("td", ["class": "answer"], [.text(text)]) : .element("td", ["class": "blank"], []))
                } else {
                    cells.append(.element("td", [.text(text)]))
                }
            }
            rows.append(.element("tr", cells))
        }
        return .element("figure", ["class": "matrix"], [
            .element("figcaption", [.text(table.caption)]),
            .element("table", rows),
        ])
    }

    static let css = """
        @page { size: auto; margin: 14mm 12mm; }
        html { font: 11pt/1.4 Georgia, "DejaVu Serif", serif; color: #000; background: #fff; }
        body { margin: 0 auto; max-width: 48em; padding: 1em; }
        @media print { body { padding: 0; max-width: none; } }
        h1 { font-size: 1.5em; margin: 0 0 .3em; }
        h2 { font-size: 1.15em; margin: 1.2em 0 .3em; break-after: avoid; }
        .kicker { margin: 0; font-size: .85em; text-transform: uppercase; letter-spacing: .05em; }
        .name { margin: .6em 0; }
        .line { display: inline-block; width: 16em; border-bottom: 1px solid #000; }
        .line.short { width: 8em; }
        .given { display: flex; flex-wrap: wrap; gap: 0 1.5em; }
        figure.matrix { margin: .5em 0; break-inside: avoid; }
        figcaption { font-style: italic; margin-bottom: .2em; }
        table { border-collapse: collapse; font: 10pt/1.2 "DejaVu Sans Mono", monospace; }
        th, td { border: 1px solid #000; padding: .25em .45em; text-align: right; min-width: 3.2em; height: 1.6em; }
        th { font-weight: normal; background: #eee; text-align: center; }
        td.blank { background: #fff; }
        td.answer { background: #ddd; font-weight: bold; }
        .skipped { font-style: italic; }
        footer { margin-top: 2em; font-size: .8em; }
        * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        """
}
