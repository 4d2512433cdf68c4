import HTML
import TraceFormat

/// How a number becomes the strength of a colour in a heatmap: sequential for weights
/// (0 → nothing, 1 → full `--pos`), diverging for scores (−limit → full `--neg`, 0 → nothing,
/// +limit → full `--pos`). The scale is continuous to the eye: 100 levels, any nonzero value
/// at least level 1, so 0.004 and 0.125 no longer share a shade. Colours come from the
/// stylesheet, so the scale follows light, dark and print.
struct ColorScale {
    enum Kind { case sequential, diverging }
    let kind: Kind
    /// The value drawn at full strength.
    let limit: Double
    static let levels = 100

    /// Weights at full strength from `limit` on: the largest weight drawn (at most 1), so
    /// that a map of small weights (20 tokens, none above 0.3) is not all faint.
    static func weights(limit: Double = 1) -> ColorScale { ColorScale(kind: .sequential, limit: limit > 0 && limit.isFinite ? min(limit, 1) : 1) }
    static func scores(limit: Double) -> ColorScale { ColorScale(kind: .diverging, limit: limit > 0 && limit.isFinite ? limit : 1) }

    /// −levels … levels: the sign says which colour, 0 is blank (also −∞ and NaN).
    func level(_ x: Double) -> Int {
        guard x.isFinite, x != 0 else { return 0 }
        let strength = min(abs(x) / limit, 1)
        let level = max(1, Int((strength * Double(Self.levels)).rounded(.up)))
        if kind == .sequential { return x > 0 ? level : 0 }
        return x > 0 ? level : -level
    }

    /// The stroke or fill opacity of a level, e.g. "0.37".
    func opacity(_ level: Int) -> String { NumberFormat.fixed(Double(abs(level)) / Double(Self.levels), decimals: 2) }

    /// A number on the legend: as few decimals as read well.
    func tick(_ x: Double) -> String {
        NumberFormat.fixed(x, decimals: NumberFormat.isWhole(x) ? 0 : (abs(x) >= 10 ? 1 : 2))
    }

    /// The legend: a bar with the scale's gradient and five numbers under it. `id` names the
    /// gradient and must be unique on the page.
    ///
    ///     0     0.25    0.5    0.75     1        −12.9   −6.4    0    6.4   12.9
    func legend(id: String) -> Node {
        let (width, bar, left) = (260.0, 12.0, 14.0)
        let stops: [Node]
        let ticks: [Double]
        switch kind {
        case .sequential:
            stops = [stop(0, "pos", 0), stop(1, "pos", 1)]
            ticks = [0, 0.25, 0.5, 0.75, 1].map { $0 * limit }
        case .diverging:
            stops = [stop(0, "neg", 1), stop(0.5, "neg", 0), stop(0.5, "pos", 0), stop(1, "pos", 1)]
            ticks = [-1, -0.5, 0, 0.5, 1].map { $0 * limit }
        }
        let span = width - 2 * left
        var marks: [Node] = []
        for (k, t) in ticks.enumerated() {
            let x = left + span * Double(k) / Double(ticks.count - 1)
            marks.append(.element("line", ["x1": .string(svgNumber(x)), "x2": .string(svgNumber(x)), "y1": .string(svgNumber(bar)), "y2": .string(svgNumber(bar + 4))]))
            marks.append(.element("text", ["x": .string(svgNumber(x)), "y": .string(svgNumber(bar + 16)), "text-anchor": "middle"], [.text(tick(t))]))
        }
        let what = kind == .sequential ? "weight" : "value"
        let description = "Colour scale: \(what) from \(tick(ticks[0])) to \(tick(ticks[ticks.count - 1])), continuously"
            + (kind == .diverging ? ", orange for negative and blue for positive" : ", stronger for more weight")
        return .element("svg", ["class": "scale-legend", "viewBox": .string("0 0 \(svgNumber(width)) 34"), "width": .string(svgNumber(width)),
                                "height": "34", "role": "img", "aria-label": .string(description)], [
            .element("defs", [.element("linearGradient", ["id": .string(id)], stops)]),
            .element("rect", ["class": "bar", "x": .string(svgNumber(left)), "y": "0", "width": .string(svgNumber(span)), "height": .string(svgNumber(bar)), "fill": .string("url(#\(id))")]),
            .element("g", ["class": "ticks"], marks),
        ])
    }

    private func stop(_ offset: Double, _ sign: String, _ opacity: Double) -> Node {
        .element("stop", ["class": .string(sign), "offset": .string(svgNumber(offset)), "stop-opacity": .string(svgNumber(opacity))])
    }
}
