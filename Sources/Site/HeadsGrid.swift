import AttentionEngine
import HTML
import Lessons
import TraceFormat

/// Every head's α at a glance: one small heatmap per head, side by side in one SVG, with
/// the token labels once per row of heads. A block with several heads whose α is too big
/// to print in full (more than 10 tokens), or with eight heads or more, gets it above its
/// stages, so that a trained layer's heads can be compared before reading any one of them;
/// each head's tables then sit folded below it, one `<details>` per head.
struct HeadsGrid {
    let block: AttentionBlock
    let id: String

    static let cell = 12.0
    /// From this many heads the grid is drawn even for small α, and each head's tables are
    /// folded under it (`TraceView.node`), so that the page is not a wall of tables.
    static let manyHeads = 8

    /// The grid, or nil when the block has one head, shows no α, or its α tables are printed whole.
    static func make(for block: AttentionBlock, id: String) -> Node? {
        guard block.spec.heads > 1, block.stages.contains(.normalization) else { return nil }
        let alphas = block.trace.events.filter { $0.stage == .normalization }
        guard alphas.count > 1, let first = alphas.first,
              first.values.rows > Heatmap.drawnFrom || first.values.columns > Heatmap.drawnFrom || alphas.count >= manyHeads else { return nil }
        return HeadsGrid(block: block, id: id).node(alphas)
    }

    func node(_ alphas: [TraceEvent]) -> Node {
        let (n, m) = (alphas[0].values.rows, alphas[0].values.columns)
        let rowLabels = alphas[0].rowLabels, columnLabels = alphas[0].columnLabels
        let perRow = min(alphas.count, 4)
        let labelWidth = min(90, Double(rowLabels.map(\.count).max() ?? 0) * 6.5 + 8)
        let top = min(78, Double(columnLabels.map(\.count).max() ?? 0) * 6.8 + 8)
        let gap = 14.0, title = 16.0
        let miniWidth = Double(m) * Self.cell, miniHeight = Double(n) * Self.cell
        let gridRows = (alphas.count + perRow - 1) / perRow
        let width = labelWidth + Double(perRow) * (miniWidth + gap)
        let height = top + Double(gridRows) * (title + miniHeight + gap)
        var parts: [Node] = []
        // Keys along the top, once per column of heads, turned −90°: a cell (12 px) is wider
        // than a label's 9 px line, so neighbours never touch (at −45° they did).
        var columnText: [Node] = []
        for g in 0..<perRow {
            for (j, label) in columnLabels.enumerated() {
                // (x, y) on the page is (−y, x) in the frame of the group turned by −90°.
                let x = labelWidth + Double(g) * (miniWidth + gap) + (Double(j) + 0.5) * Self.cell + 3, y = top - 4
                columnText.append(.element("text", ["x": .string(svgNumber(-y)), "y": .string(svgNumber(x))], [.text(label)]))
            }
        }
        parts.append(.element("g", ["class": "labels", "transform": "rotate(-90)", "font-size": "9"], columnText))
        for (index, event) in alphas.enumerated() {
            let gx = labelWidth + Double(index % perRow) * (miniWidth + gap)
            let gy = top + Double(index / perRow) * (title + miniHeight + gap)
            parts.append(.element("text", ["x": .string(svgNumber(gx)), "y": .string(svgNumber(gy + 11)), "font-size": "11"], [.text("head \(event.head ?? index)")]))
            if index % perRow == 0 {
                var rowText: [Node] = []
                for (i, label) in rowLabels.enumerated() {
                    rowText.append(.element("text", ["x": .string(svgNumber(labelWidth - 4)), "y": .string(svgNumber(gy + title + (Double(i) + 0.5) * Self.cell))], [.text(label)]))
                }
                parts.append(.element("g", ["text-anchor": "end", "dominant-baseline": "middle", "font-size": "9"], rowText))
            }
            parts.append(.element("g", ["transform": .string("translate(\(svgNumber(gx)) \(svgNumber(gy + title))) scale(\(svgNumber(Self.cell)))")], [
                .element("rect", ["class": "frame", "x": "0", "y": "0", "width": .string(String(m)), "height": .string(String(n))]),
                .element("g", ["fill": "none", "stroke-width": "1"], strokes(event.values, scale: ColorScale.weights(limit: Self.largest(alphas)))),
            ]))
        }
        let label = "All \(alphas.count) heads' attention weights α, one small heatmap per head: rows are the queries and columns the keys, both in sentence order ("
            + rowLabels.joined(separator: " ") + "); the stronger the colour, the more weight."
        return .element("figure", ["class": "heatmap heads-grid", "id": .string("\(id)-heads")], [
            .element("svg", ["viewBox": .string("0 0 \(svgNumber(width)) \(svgNumber(height))"), "width": .string(svgNumber(width)), "height": .string(svgNumber(height)),
                             "role": "img", "aria-label": .string(label)], parts),
            ColorScale.weights(limit: Self.largest(alphas)).legend(id: "\(id)-heads-scale"),
            .element("figcaption", [.text(label + " Below, open a head for its tables and worked arithmetic.")]),
        ])
    }

    /// The largest weight of any head: the grid's colours share one scale.
    static func largest(_ alphas: [TraceEvent]) -> Double {
        alphas.map { $0.values.storage.filter(\.isFinite).max() ?? 0 }.max() ?? 1
    }

    /// One path per level of the weights' colour scale: each run of equal levels in a row is
    /// one stroke through its middle.
    func strokes(_ alpha: Matrix, scale: ColorScale) -> [Node] {
        var runs: [Int: String] = [:]
        for i in 0..<alpha.rows {
            var j = 0
            while j < alpha.columns {
                let level = scale.level(alpha[i, j])
                var end = j + 1
                while end < alpha.columns, scale.level(alpha[i, end]) == level { end += 1 }
                if level > 0 { runs[level, default: ""] += "M\(j) \(i).5h\(end - j)" }
                j = end
            }
        }
        return runs.keys.sorted().map { level in
            .element("path", ["class": "pos", "stroke-opacity": .string(scale.opacity(level)), "d": .string(runs[level]!)])
        }
    }
}
