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
    static let maxShown = 10
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
            header.append(j.map { .element("th", ["scope": "col", "class": classes(column: $0)], [.text(columnLabels[$0])]) } ?? .element("th", ["class": "gap", "scope": "col"], [.element("span", ["aria-hidden": "true"], ["…"]), .element("span", ["class": "sr-only"], ["columns elided"])]))
        }
        var body: [Node] = []
        for i in rows {
            guard let i else {
                body.append(.element("tr", ["class": "gap"], [.element("th", ["scope": "row"], [.element("span", ["aria-hidden": "true"], ["⋮"]), .element("span", ["class": "sr-only"], ["rows elided"])])] + columns.map { _ in .element("td", ["class": "gap"], ["⋮"]) }))
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

/// A whole matrix as a small SVG heatmap, for matrices too big to print in full.
/// Blocks of cells are averaged so the picture has at most 96 × 96 squares. Squares are
/// drawn as one path per sign and shade (eight shades), which keeps big pages small;
/// colours come from the stylesheet, so the picture follows the colour scheme.
struct Heatmap {
    var name: String
    var matrix: Matrix
    var weights: Bool
    var rowLabels: [String] = []
    var columnLabels: [String] = []
    static let maxSquares = 96
    static let shades = 8
    /// Labels are drawn when every row (column) is its own square and there are at most this many.
    static let maxLabelled = 40

    var node: Node {
        let (n, m) = (matrix.rows, matrix.columns)
        let rowStep = max(1, (n + Self.maxSquares - 1) / Self.maxSquares), columnStep = max(1, (m + Self.maxSquares - 1) / Self.maxSquares)
        let (rows, columns) = ((n + rowStep - 1) / rowStep, (m + columnStep - 1) / columnStep)
        // The mean of each square's block (masked −∞ cells left out).
        var means = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                var total = 0.0, count = 0.0
                for i in (r * rowStep)..<min(n, (r + 1) * rowStep) {
                    for j in (c * columnStep)..<min(m, (c + 1) * columnStep) where matrix[i, j].isFinite {
                        total += matrix[i, j]; count += 1
                    }
                }
                means[r * columns + c] = count > 0 ? total / count : 0
            }
        }
        // Weights are shaded by their value; other matrices relative to the largest square.
        let largest = means.lazy.map(abs).max() ?? 1
        // Each run of equal shades in a row is one stroke, one cell thick, through the middle
        // of the row; a shade's strokes form one path, with relative moves between them.
        var runs: [Int: String] = [:]
        var pens: [Int: (x: Int, y: Int)] = [:]
        for r in 0..<rows {
            var c = 0
            var previous = 0, start = 0
            func flush(_ end: Int) {
                guard previous != 0 else { return }
                if let pen = pens[previous] {
                    runs[previous, default: ""] += "m\(start - pen.x) \(r - pen.y)h\(end - start)"
                } else {
                    runs[previous] = "M\(start) \(r).5h\(end - start)"
                }
                pens[previous] = (end, r)
            }
            while c < columns {
                let mean = means[r * columns + c]
                let level = weights ? min(max(mean, 0), 1) : abs(mean) / max(largest, .leastNonzeroMagnitude)
                var shade = level > 0.004 ? min(Self.shades, max(1, Int((level * Double(Self.shades)).rounded(.up)))) : 0
                if !weights, mean < 0 { shade = -shade }
                if shade != previous { flush(c); previous = shade; start = c }
                c += 1
            }
            flush(columns)
        }
        // Geometry: cells `cellWidth` × `cellHeight` pixels (square when they can be; a few
        // long rows get taller cells so that they stay visible and their labels fit), labels
        // around them when they fit.
        let cellWidth = max(2, min(24, (432.0 / Double(columns)).rounded(.down)))
        let cellHeight = max(2, min(24, (320.0 / Double(rows)).rounded(.down), max(cellWidth, 14)))
        let showRows = rowStep == 1 && n <= Self.maxLabelled && rowLabels.count == n && cellHeight >= 12
        let showColumns = columnStep == 1 && m <= Self.maxLabelled && columnLabels.count == m && cellWidth >= 12
        func textWidth(_ labels: [String]) -> Double { min(96, Double(labels.map(\.count).max() ?? 0) * 7.5 + 10) }
        let left = showRows ? textWidth(rowLabels) : 0
        let top = showColumns ? textWidth(columnLabels) * 0.75 + 4 : 0
        let right = showColumns ? textWidth(columnLabels) * 0.75 : 0
        let width = left + Double(columns) * cellWidth + right, height = top + Double(rows) * cellHeight
        var rowText: [Node] = [], columnText: [Node] = []
        if showRows {
            for (i, label) in rowLabels.enumerated() {
                rowText.append(.element("text", ["x": .string(fmt(left - 6)), "y": .string(fmt(top + (Double(i) + 0.5) * cellHeight))], [.text(label)]))
            }
        }
        if showColumns {
            for (j, label) in columnLabels.enumerated() {
                // (x, y) on the page, in the frame of the group turned by −45°
                let x = left + (Double(j) + 0.5) * cellWidth, y = top - 6, r = 0.5.squareRoot()
                columnText.append(.element("text", ["x": .string(fmt(((x - y) * r * 100).rounded() / 100)), "y": .string(fmt(((x + y) * r * 100).rounded() / 100))], [.text(label)]))
            }
        }
        var squares: [Node] = []
        for shade in runs.keys.sorted() {
            let opacity = NumberFormat.fixed(Double(abs(shade)) / Double(Self.shades), decimals: 3)
            squares.append(.element("path", ["class": .string(shade > 0 ? "pos" : "neg"), "stroke-opacity": .string(opacity), "d": .string(runs[shade]!)]))
        }
        let block = rowStep > 1 || columnStep > 1 ? ", each square the mean of a \(rowStep)×\(columnStep) block" : ""
        let label = "Heatmap of all \(n)×\(m) values of \(name)\(block)"
            + (weights ? "; the stronger the colour, the more weight." : "; blue is positive, orange negative, and the stronger the colour, the larger the size.")
        return .element("figure", ["class": "heatmap"], [
            .element("svg", ["viewBox": .string("0 0 \(fmt(width)) \(fmt(height))"), "width": .string(fmt(width)), "height": .string(fmt(height)),
                             "role": "img", "aria-label": .string(label)], [
                .element("g", ["class": "labels"], (rowText.isEmpty ? [] : [.element("g", ["text-anchor": "end", "dominant-baseline": "middle"], rowText)])
                                                    + (columnText.isEmpty ? [] : [.element("g", ["transform": "rotate(-45)"], columnText)])),
                .element("g", ["transform": .string("translate(\(fmt(left)) \(fmt(top))) scale(\(fmt(cellWidth)) \(fmt(cellHeight)))")], [
                    .element("rect", ["class": "frame", "x": "0", "y": "0", "width": .string(String(columns)), "height": .string(String(rows))]),
                    .element("g", ["fill": "none", "stroke-width": "1"], squares),
                ]),
            ]),
            .element("figcaption", [.text(label)]),
        ])
    }
}

func fmt(_ x: Double) -> String { NumberFormat.fixed(x, decimals: x.rounded() == x ? 0 : 2) }
