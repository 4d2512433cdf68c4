import AttentionEngine
import HTML
import TraceFormat

/// A labelled matrix as an accessible `<table>`: token labels in `<th scope>`, numbers
/// right-aligned to fixed decimals, large matrices elided NumPy-style (first and last
/// three rows and columns), α heat-shaded with the number always shown.
struct MatrixTable {
    var name: String
    var matrix: Matrix
    var rowLabels: [String]
    var columnLabels: [String]
    var decimals: Int
    var heat = false
    /// Rows kept visible even when the middle is elided (the focus token).
    var keepRow: Int?
    /// The focus token's column, in tables with one column per token (column notation).
    var focusColumn: Int?
    var caption: String?
    /// The masked scores this matrix was computed from: cells that are −∞ there are
    /// marked masked here too (the zero weights of a masked α).
    var maskedBy: Matrix?
    /// Columns come in groups of this many (the heads of a concatenation): a rule marks
    /// where each group starts.
    var columnGroup: Int?
    /// Matrices with more rows or columns than this are elided (phones scroll sideways).
    static let maxShown = 24
    static let edge = 3
    /// Weights above this are drawn with light text on a dark fill (light mode).
    static let hotThreshold = 0.55

    /// Indices shown, with nil standing for the elided middle.
    static func shown(_ count: Int, keep: Int? = nil) -> [Int?] {
        guard count > maxShown else { return Array(0..<count) }
        var head = Array(0..<edge), tail = Array((count - edge)..<count)
        if let keep, keep >= edge, keep < count - edge {
            if keep == edge { head.append(keep) } else if keep == count - edge - 1 { tail.insert(keep, at: 0) } else {
                return head.map { $0 } + [nil, keep, nil] + tail.map { $0 }
            }
        }
        return head.map { $0 } + [nil] + tail.map { $0 }
    }

    var node: Node {
        let rows = Self.shown(matrix.rows, keep: keepRow)
        let columns = Self.shown(matrix.columns, keep: focusColumn)
        let elided = rows.contains(nil) || columns.contains(nil)
        var header: [Node] = [.element("td", ["class": "corner"])]
        for j in columns {
            header.append(j.map { .element("th", ["scope": "col", "class": classes(column: $0)], [.text(columnLabels[$0])]) }
                ?? .element("th", ["class": "gap", "scope": "col"],
                            [.element("span", ["aria-hidden": "true"], ["…"]), .element("span", ["class": "sr-only"], ["columns elided"])]))
        }
        var body: [Node] = []
        for i in rows {
            guard let i else {
                body.append(.element("tr", ["class": "gap"],
                    [.element("th", ["scope": "row"], [.element("span", ["aria-hidden": "true"], ["⋮"]), .element("span", ["class": "sr-only"], ["rows elided"])])]
                        + columns.map { _ in .element("td", ["class": "gap"], ["⋮"]) }))
                continue
            }
            var cells: [Node] = [.element("th", ["scope": "row"], [.text(rowLabels[i])])]
            let places = self.places
            for j in columns {
                guard let j else { cells.append(.element("td", ["class": "gap"], ["…"])); continue }
                let masked = maskedBy.map { i < $0.rows && j < $0.columns && $0[i, j] == -.infinity } ?? false
                cells.append(cell(matrix[i, j], masked: masked, column: classes(column: j), places: places))
            }
            body.append(.element("tr", i == keepRow ? ["class": "focus"] : [:], cells))
        }
        let shape = "\(matrix.rows)×\(matrix.columns)"
        let label = caption ?? name
        let captionText = label + " (\(shape)" + (elided ? ", middle elided" : "") + ")"
        return .element("div", ["class": "scroll", "role": "region", "tabindex": "0", "aria-label": .string(captionText)], [
            .element("table", ["class": heat ? "matrix heat" : "matrix"], [
                .element("caption", [
                    .element("span", ["class": "name"], symbol(label)),
                    .text(" "),
                    .element("span", ["class": "dims"], [.text("(\(shape)" + (elided ? ", middle elided" : "") + ")")]),
                ]),
                .element("thead", [.element("tr", header)]),
                .element("tbody", body),
            ]),
        ])
    }

    func startsGroup(_ j: Int) -> Bool {
        guard let columnGroup, columnGroup > 0 else { return false }
        return j > 0 && j % columnGroup == 0
    }

    /// Classes of every cell in column j: where a group of columns starts, the focus column.
    func classes(column j: Int) -> AttributeValue {
        var names: [String] = []
        if startsGroup(j) { names.append("group-start") }
        if j == focusColumn { names.append("focus") }
        return names.isEmpty ? .boolean(false) : .string(names.joined(separator: " "))
    }

    /// The decimals this table prints with: none when every value is whole (`1`, not `1.00`).
    var places: Int { NumberFormat.decimals(for: matrix.storage, decimals) }

    func cell(_ x: Double, masked: Bool = false, column: AttributeValue = .boolean(false), places: Int? = nil) -> Node {
        Self.textCell(NumberFormat.fixed(x, decimals: places ?? self.places), value: heat ? x : nil, masked: masked || x == -.infinity, column: column)
    }

    /// A cell showing `text`; with a weight `value`, heat-shaded by it.
    static func textCell(_ text: String, value: Double? = nil, masked: Bool = false, column: AttributeValue = .boolean(false)) -> Node {
        var extra = ""
        if case .string(let names) = column { extra = " " + names }
        if masked {
            return .element("td", ["class": .string("masked" + extra)], [.text(text), .element("span", ["class": "sr-only"], [" (masked)"])])
        }
        guard let x = value else {
            return .element("td", ["class": column], [.text(text)])
        }
        // The weight as a fill level; the number stays visible (colour is never the only signal).
        let level = NumberFormat.fixed(min(max(x, 0), 1), decimals: 3)
        return .element("td", ["class": .string((x > hotThreshold ? "hot" : "warm") + extra), "style": .string("--w: \(level)")], [.text(text)])
    }
}

/// A matrix name as it is printed in a formula: `W_Q` → W with subscript Q, `ω_masked`
/// → ω with subscript masked; other text (spaces, `=`, `ᵀ`) is kept as it is.
func symbol(_ name: String) -> [Node] {
    var nodes: [Node] = []
    var plain = ""
    var rest = Substring(name)
    while let underscore = rest.firstIndex(of: "_") {
        let before = rest[..<underscore]
        let after = rest[rest.index(after: underscore)...]
        let subscriptEnd = after.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") || $0 == "ᵀ" } ?? after.endIndex
        guard !before.isEmpty, subscriptEnd > after.startIndex, before.last?.isLetter == true || before.last?.isNumber == true else {
            plain += rest[...underscore]
            rest = after
            continue
        }
        plain += before
        nodes.append(.text(plain))
        plain = ""
        let index = String(after[..<subscriptEnd].map { $0 == "_" ? "," : $0 })
        nodes.append(.element("sub", index.count > 1 ? ["class": "word"] : [:], [.text(index)]))
        rest = after[subscriptEnd...]
    }
    plain += rest
    if !plain.isEmpty { nodes.append(.text(plain)) }
    return nodes
}
