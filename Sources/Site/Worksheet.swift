import AttentionEngine
import Diagnostics
import Foundation
import HTML
import Lessons
import Markdown

/// `attn worksheet`: a lesson's worked examples as a printable exercise sheet, and its
/// answer key. For every attention block the sheet gives Q, K and V (or X, without
/// projections) in full, then ω, the scaled scores, the masked scores, α and Z with the
/// row of the block's focus token left blank (the first token when it has no focus).
/// The key is the same page with those cells filled in. No JavaScript, no network; the
/// stylesheet is in the page and prints on A4 and Letter alike.
public struct Worksheet: Sendable {
    public let lesson: Lesson

    /// Blocks wider or longer than this are left out of the sheet: too many cells to do by hand.
    public static let maxCells = 10
    /// The stages whose focus row is left blank, in trace order.
    public static let blankStages: [Stage] = [.similarity, .scaling, .masking, .normalization, .context]

    public init(lesson: Lesson) { self.lesson = lesson }

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
            body.append(.element("p", ["class": "instructions"], ["Fill in the empty cells by hand, rounding as the other cells are rounded. The formula above each table says how its cells are made."]))
        }
        var included = 0
        for block in lesson.attentionBlocks {
            let tooLarge = block.trace.events.contains { $0.values.rows > Self.maxCells || $0.values.columns > Self.maxCells }
            if tooLarge {
                body.append(.element("p", ["class": "skipped"], [.text("\(exampleName(block)) is left out: its matrices are larger than \(Self.maxCells) × \(Self.maxCells).")]))
                continue
            }
            included += 1
            body.append(section(block, key: key))
        }
        if included == 0 {
            body.append(.element("p", ["class": "skipped"], ["This lesson has no worked example small enough for a worksheet."]))
        }
        body.append(.element("footer", [.element("p", [.text("Made by attn from \((lesson.path as NSString).lastPathComponent); every number was computed from the lesson's spec.")])]))
        return Document(lang: "en", head: [
            .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            .element("title", [.text("\(front.title) · \(key ? "answer key" : "worksheet") · attn")]),
            .element("style", [.text(Self.css)]),
        ], body: [.element("main", body)]).render()
    }

    /// The row that is left blank: the focus token's, else the first.
    static func blankRow(_ block: AttentionBlock) -> Int { block.focus ?? 0 }

    func section(_ block: AttentionBlock, key: Bool) -> Node {
        let row = Self.blankRow(block)
        let token = block.spec.tokens[row]
        let events = block.trace.events
        var given = events.filter { $0.stage == .projection }
        if given.isEmpty { given = events.filter { $0.stage == .input } }
        let asked = events.filter { Self.blankStages.contains($0.stage) }
        var children: [Node] = [
            .element("h2", [.text(exampleName(block))]),
            .element("p", ["class": "task"], [.text("Tokens: \(block.spec.tokens.joined(separator: " ")). Work out the row of "), .element("strong", [.text(token)]),
                                              .text(block.spec.scale ? " (d_k = \(block.spec.dK), √d_k = \(TraceFormatBridge.number(Double(block.spec.dK).squareRoot(), decimals: max(block.decimals, 2))))." : ".")]),
        ]
        var tables: [Node] = []
        for event in given { tables.append(matrix(event, blank: nil, key: key, decimals: block.decimals, heads: block.spec.heads)) }
        children.append(.element("div", ["class": "given"], tables))
        for event in asked {
            let blankRow = event.rowLabels == block.spec.tokens ? row : nil
            children.append(matrix(event, blank: blankRow, key: key, decimals: block.decimals, heads: block.spec.heads))
        }
        return .element("section", ["class": "block"], children)
    }

    func matrix(_ event: TraceEvent, blank: Int?, key: Bool, decimals: Int, heads: Int) -> Node {
        let headNote = heads > 1 ? event.head.map { " (head \($0))" } ?? "" : ""
        var rows: [Node] = [
            .element("tr", [.element("th", ["scope": "col"], [.text(event.name)])] + event.columnLabels.map { .element("th", ["scope": "col"], [.text($0)]) }),
        ]
        for i in 0..<event.values.rows {
            var cells: [Node] = [.element("th", ["scope": "row"], [.text(event.rowLabels[i])])]
            for j in 0..<event.values.columns {
                let text = TraceFormatBridge.number(event.values[i, j], decimals: decimals)
                if i == blank {
                    cells.append(key ? .element("td", ["class": "answer"], [.text(text)]) : .element("td", ["class": "blank"], []))
                } else {
                    cells.append(.element("td", [.text(text)]))
                }
            }
            rows.append(.element("tr", cells))
        }
        return .element("figure", ["class": "matrix"], [
            .element("figcaption", [.text(event.formula + headNote)]),
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
