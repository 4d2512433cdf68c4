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
    var caption: String?
    static let maxShown = 10
    static let edge = 3

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
        let columns = Self.shown(matrix.columns)
        let elided = rows.contains(nil) || columns.contains(nil)
        var header: [Node] = [.element("th", ["scope": "col"], [.element("span", ["class": "sr-only"], ["row"])])]
        for j in columns {
            header.append(j.map { .element("th", ["scope": "col"], [.text(columnLabels[$0])]) } ?? .element("th", ["class": "gap", "scope": "col"], ["…"]))
        }
        var body: [Node] = []
        for i in rows {
            guard let i else {
                body.append(.element("tr", ["class": "gap"], [.element("th", ["scope": "row"], ["⋮"])] + columns.map { _ in .element("td", ["class": "gap"], ["⋮"]) }))
                continue
            }
            var cells: [Node] = [.element("th", ["scope": "row"], [.text(rowLabels[i])])]
            for j in columns {
                guard let j else { cells.append(.element("td", ["class": "gap"], ["…"])); continue }
                cells.append(cell(matrix[i, j]))
            }
            body.append(.element("tr", i == keepRow ? ["class": "focus"] : [:], cells))
        }
        let shape = "\(matrix.rows)×\(matrix.columns)"
        let captionText = (caption ?? name) + " (\(shape)" + (elided ? ", middle elided" : "") + ")"
        return .element("div", ["class": "scroll", "role": "region", "tabindex": "0", "aria-label": .string(captionText)], [
            .element("table", ["class": heat ? "matrix heat" : "matrix"], [
                .element("caption", [.text(captionText)]),
                .element("thead", [.element("tr", header)]),
                .element("tbody", body),
            ]),
        ])
    }

    func cell(_ x: Double) -> Node {
        if x == -.infinity {
            return .element("td", ["class": "masked"], [.element("span", ["aria-label": "minus infinity (masked)"], ["−∞"])])
        }
        let text = NumberFormat.fixed(x, decimals: decimals)
        guard heat else { return .element("td", [.text(text)]) }
        // The weight as a fill level; the number stays visible (colour is never the only signal).
        let level = NumberFormat.fixed(min(max(x, 0), 1), decimals: 3)
        return .element("td", ["class": x > 0.55 ? "hot" : "warm", "style": .string("--w: \(level)")], [.text(text)])
    }
}

/// A whole matrix as a small SVG heatmap, for matrices too big to print in full.
/// Blocks of cells are averaged so the picture has at most 96 × 96 squares.
struct Heatmap {
    var name: String
    var matrix: Matrix
    var weights: Bool

    var node: Node {
        let (n, m) = (matrix.rows, matrix.columns)
        let rowStep = max(1, (n + 95) / 96), columnStep = max(1, (m + 95) / 96)
        let (rows, columns) = ((n + rowStep - 1) / rowStep, (m + columnStep - 1) / columnStep)
        let size = 4.0
        let largest = matrix.storage.lazy.filter(\.isFinite).map(abs).max() ?? 1
        var squares: [Node] = []
        for r in 0..<rows {
            for c in 0..<columns {
                var total = 0.0, count = 0.0
                for i in (r * rowStep)..<min(n, (r + 1) * rowStep) {
                    for j in (c * columnStep)..<min(m, (c + 1) * columnStep) where matrix[i, j].isFinite {
                        total += matrix[i, j]; count += 1
                    }
                }
                let mean = count > 0 ? total / count : 0
                let level = weights ? mean : abs(mean) / max(largest, .leastNonzeroMagnitude)
                guard level > 0.004 else { continue }
                squares.append(.element("rect", [
                    "x": .string(fmt(Double(c) * size)), "y": .string(fmt(Double(r) * size)),
                    "width": .string(fmt(size)), "height": .string(fmt(size)),
                    "class": .string(weights || mean >= 0 ? "pos" : "neg"),
                    "fill-opacity": .string(NumberFormat.fixed(min(level, 1), decimals: 3)),
                ]))
            }
        }
        let width = Double(columns) * size, height = Double(rows) * size
        let label = "Heatmap of all \(n)×\(m) values of \(name)" + (rowStep > 1 || columnStep > 1 ? ", each square the mean of a \(rowStep)×\(columnStep) block" : "")
            + (weights ? "; darker means more weight." : "; colour shows sign, strength shows size.")
        return .element("figure", ["class": "heatmap"], [
            .element("svg", ["viewBox": .string("0 0 \(fmt(width)) \(fmt(height))"), "width": .string(fmt(min(width * 2, 480))),
                             "role": "img", "aria-label": .string(label)], [
                .element("rect", ["class": "frame", "x": "0", "y": "0", "width": .string(fmt(width)), "height": .string(fmt(height))]),
            ] + squares),
            .element("figcaption", [.text(label)]),
        ])
    }
}

func fmt(_ x: Double) -> String { NumberFormat.fixed(x, decimals: x.rounded() == x ? 0 : 2) }
