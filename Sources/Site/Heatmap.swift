import AttentionEngine
import HTML
import TraceFormat

/// A whole matrix as a small SVG heatmap, drawn when a result is too big to take in as a
/// table (more than `drawnFrom` rows or columns). Blocks of cells are averaged so the
/// picture has at most 96 × 96 squares. Squares are drawn as one path per level of a
/// continuous colour scale (`ColorScale`, 100 levels), which keeps big pages small; colours
/// come from the stylesheet, so the picture follows the colour scheme. A legend with numbers
/// says what each strength means.
struct Heatmap {
    var name: String
    var matrix: Matrix
    var weights: Bool
    var rowLabels: [String] = []
    var columnLabels: [String] = []
    /// An id for the legend's gradient, unique on the page.
    var id: String
    static let maxSquares = 96
    /// Results with more rows or columns than this are also drawn as a heatmap.
    static let drawnFrom = 10
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
        let scale = weights ? ColorScale.weights(limit: largest) : ColorScale.scores(limit: largest)
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
                let shade = scale.level(means[r * columns + c])
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
                rowText.append(.element("text", ["x": .string(svgNumber(left - 6)), "y": .string(svgNumber(top + (Double(i) + 0.5) * cellHeight))], [.text(label)]))
            }
        }
        if showColumns {
            for (j, label) in columnLabels.enumerated() {
                // (x, y) on the page, in the frame of the group turned by −45°
                let x = left + (Double(j) + 0.5) * cellWidth, y = top - 6, r = 0.5.squareRoot()
                columnText.append(.element("text", ["x": .string(svgNumber(((x - y) * r * 100).rounded() / 100)), "y": .string(svgNumber(((x + y) * r * 100).rounded() / 100))], [.text(label)]))
            }
        }
        var squares: [Node] = []
        for shade in runs.keys.sorted() {
            squares.append(.element("path", ["class": .string(shade > 0 ? "pos" : "neg"), "stroke-opacity": .string(scale.opacity(shade)), "d": .string(runs[shade]!)]))
        }
        let block = rowStep > 1 || columnStep > 1 ? ", each square the mean of a \(rowStep)×\(columnStep) block" : ""
        let label = "Heatmap of all \(n)×\(m) values of \(name)\(block)"
            + (weights ? "; the stronger the colour, the more weight (the scale runs continuously from 0 to \(scale.tick(scale.limit)), "
                + "the largest weight)." : "; blue is positive, orange negative, and the stronger the colour, "
                + "the larger the size (the scale runs continuously from −\(scale.tick(scale.limit)) to \(scale.tick(scale.limit))).")
        return .element("figure", ["class": "heatmap"], [
            .element("svg", ["viewBox": .string("0 0 \(svgNumber(width)) \(svgNumber(height))"), "width": .string(svgNumber(width)), "height": .string(svgNumber(height)),
                             "role": "img", "aria-label": .string(label)], [
                .element("g", ["class": "labels"], (rowText.isEmpty ? [] : [.element("g", ["text-anchor": "end", "dominant-baseline": "middle"], rowText)])
                                                    + (columnText.isEmpty ? [] : [.element("g", ["transform": "rotate(-45)"], columnText)])),
                .element("g", ["transform": .string("translate(\(svgNumber(left)) \(svgNumber(top))) scale(\(svgNumber(cellWidth)) \(svgNumber(cellHeight)))")], [
                    .element("rect", ["class": "frame", "x": "0", "y": "0", "width": .string(String(columns)), "height": .string(String(rows))]),
                    .element("g", ["fill": "none", "stroke-width": "1"], squares),
                ]),
            ]),
            scale.legend(id: id + "-scale"),
            .element("figcaption", [.text(label)]),
        ])
    }
}
