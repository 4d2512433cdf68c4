import AttentionEngine
import HTML
import Lessons
import TraceFormat

/// Where the focus token looks in cross-attention: the two sentences as two rows of
/// tokens, the source (keys and values) above and the target (queries) below, and a line
/// from the focus target token to every source token, as thick as its weight α (read from
/// the trace's row), with the weight written at the source end. Replaces the one-sentence
/// picture of `TraceView.attentionPicture` under α when the block has a `source`.
struct CrossAttentionPicture {
    let block: AttentionBlock
    let event: TraceEvent
    let row: Int
    let id: String

    static let boxHeight = 28.0, rowGap = 120.0, top = 26.0, margin = 8.0

    /// The width of one token's slot: the longest label of either sentence, in pixels.
    var slot: Double {
        let longest = (event.columnLabels + event.rowLabels).map(\.count).max() ?? 1
        return max(64, Double(longest) * 8.5 + 20)
    }

    /// The centre of token `index`'s box in a row of `count` tokens, the rows centred on the widest.
    func centre(_ index: Int, of count: Int) -> Double {
        let widest = Double(max(event.columnLabels.count, event.rowLabels.count)) * slot
        return Self.margin + (widest - Double(count) * slot) / 2 + (Double(index) + 0.5) * slot
    }

    func node() -> Node {
        let (sources, targets) = (event.columnLabels, event.rowLabels)
        let weights = Array(event.values.row(row))
        let worked = Worked(decimals: block.decimals, maxTerms: 8)
        let width = Self.margin * 2 + Double(max(sources.count, targets.count)) * slot
        let sourceY = Self.top, targetY = Self.top + Self.boxHeight + Self.rowGap
        let height = targetY + Self.boxHeight + 26
        let boxWidth = slot - 10
        func box(_ label: String, x: Double, y: Double, cls: String) -> Node {
            .element("g", ["class": .string(cls)], [
                .element("rect", ["x": .string(svgNumber(round2(x - boxWidth / 2))), "y": .string(svgNumber(y)),
                                  "width": .string(svgNumber(round2(boxWidth))), "height": .string(svgNumber(Self.boxHeight)), "rx": "5"]),
                .element("text", ["x": .string(svgNumber(round2(x))), "y": .string(svgNumber(y + 19)), "text-anchor": "middle"], [.text(label)]),
            ])
        }
        var lines: [Node] = [], labels: [Node] = [], boxes: [Node] = []
        let from = (x: round2(centre(row, of: targets.count)), y: targetY)
        for (j, w) in weights.enumerated() {
            let to = (x: round2(centre(j, of: sources.count)), y: sourceY + Self.boxHeight)
            if w > 0 {
                lines.append(.element("line", ["x1": .string(svgNumber(from.x)), "y1": .string(svgNumber(from.y)), "x2": .string(svgNumber(to.x)), "y2": .string(svgNumber(to.y)),
                                               "stroke-width": .string(NumberFormat.fixed(0.75 + 9 * w, decimals: 2)),
                                               "stroke-opacity": .string(NumberFormat.fixed(0.2 + 0.8 * w, decimals: 2))]))
            }
            labels.append(.element("text", ["class": "weight", "x": .string(svgNumber(to.x)), "y": .string(svgNumber(to.y + 16)), "text-anchor": "middle"], [.text(worked.number(w))]))
            boxes.append(box(sources[j], x: to.x, y: sourceY, cls: "tok source"))
        }
        for (i, label) in targets.enumerated() {
            boxes.append(box(label, x: round2(centre(i, of: targets.count)), y: targetY, cls: i == row ? "tok target focus" : "tok target"))
        }
        let titles: [Node] = [
            .element("text", ["class": "row-title", "x": .string(svgNumber(Self.margin)), "y": "14"], ["source: the keys K and values V come from these tokens"]),
            .element("text", ["class": "row-title", "x": .string(svgNumber(Self.margin)), "y": .string(svgNumber(targetY + Self.boxHeight + 20))], ["target: the queries Q come from these tokens"]),
        ]
        let head = event.head.map { block.spec.heads > 1 ? " in head \($0)" : "" } ?? ""
        let description = "Where \(targets[row]) looks in the source sentence\(head): " + zip(sources, weights).map { "\($0) \(worked.number($1))" }.joined(separator: ", ")
        let titleID = "\(id)-cross" + (event.head.map { "-h\($0)" } ?? "")
        return .element("figure", ["class": "cross"], [
            .element("svg", ["viewBox": .string("0 0 \(svgNumber(round2(width))) \(svgNumber(height))"), "width": .string(svgNumber(round2(width))), "height": .string(svgNumber(height)),
                             "role": "img", "aria-labelledby": .string(titleID)], [
                .element("title", ["id": .string(titleID)], [.text(description)]),
                .element("g", ["class": "links"], lines),
                .element("g", ["class": "boxes"], boxes),
                .element("g", ["class": "labels"], labels + titles),
            ]),
            .element("figcaption", [.text(description + ". The query of \(targets[row]) comes from the target sentence (below); the keys it is compared with, and the values "
                + "it blends, come from the source sentence (above). Thicker lines carry more weight; the weights of the row add up to 1.")]),
        ])
    }

    func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
