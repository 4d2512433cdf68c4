import AttentionEngine
import Foundation
import HTML
import Lessons
import TraceFormat

/// Queries and keys as arrows, when they have two components: the plane of the two
/// components with its axes and ticks, the focus token's query q_i and every key k_j as
/// arrows from the origin, and for the key the focus token scores highest the angle θ
/// between the two and the projection of the key onto the query, the length
/// |k_j| cos θ that makes the score ω_ij = q_i · k_j = |q_i| |k_j| cos θ. Drawn from the
/// operands of the trace's ω (so after rotary positions, the rotated vectors), for a
/// single head; shown under the scores of any such block. Under the picture, each key's
/// score worked out the geometric way, with numbers that multiply to the score as printed.
struct VectorPlot {
    let block: AttentionBlock
    let id: String

    /// Plot units to pixels, at most; the plane is at most `extent` pixels wide or tall.
    static let maxUnit = 100.0, extent = 280.0, margin = 64.0

    /// One arrow: a token's vector and where its tip is drawn.
    struct Arrow {
        var role: String  // "q" or "k"
        var token: String
        var vector: (x: Double, y: Double)
    }

    /// The similarity event whose operands are drawn, and the query's row; nil when the
    /// block has several heads, no focus, no ω, or vectors that are not 2-D.
    static func source(_ block: AttentionBlock) -> (event: TraceEvent, row: Int)? {
        guard block.spec.heads == 1, let focus = block.focus,
              let event = block.trace.events.first(where: { $0.stage == .similarity && $0.decodeToken == nil }),
              event.operands.count == 2, event.operands.allSatisfy({ $0.matrix.columns == 2 }),
              event.rowLabels == block.spec.tokens, focus < event.operands[0].matrix.rows else { return nil }
        return (event, focus)
    }

    /// The axes' range in plot units: from the ticks below the smallest coordinate (or 0) to
    /// those above the largest, and the step of the ticks.
    static func range(_ values: [Double]) -> (low: Double, high: Double, step: Double) {
        let whole = values.allSatisfy { abs($0 - $0.rounded()) < 1e-9 }
        let low = min(0, values.min() ?? 0), high = max(0, values.max() ?? 0)
        let span = max(high - low, 1e-9)
        let steps = (-2...6).flatMap { e in [1.0, 2, 5].map { $0 * pow(10, Double(e)) } }
        let step = steps.first { span / $0 <= 8 && (!whole || $0 >= 1) } ?? steps.last!
        let lo = (low / step).rounded(.down) * step, hi = (high / step).rounded(.up) * step
        return (lo, hi == lo ? lo + step : hi, step)
    }

    func node() -> Node? {
        guard let (event, i) = Self.source(block) else { return nil }
        let (q, k) = (event.operands[0], event.operands[1])
        let (rows, columns) = (Self.distinct(event.rowLabels), Self.distinct(event.columnLabels))
        let query = Arrow(role: "q", token: rows[i], vector: (q.matrix[i, 0], q.matrix[i, 1]))
        let keys = (0..<k.matrix.rows).map { Arrow(role: "k", token: columns[$0], vector: (k.matrix[$0, 0], k.matrix[$0, 1])) }
        let all = [query] + keys
        let xr = Self.range(all.map(\.vector.x)), yr = Self.range(all.map(\.vector.y))
        let unit = min(Self.maxUnit, Self.extent / max(xr.high - xr.low, yr.high - yr.low))
        let m = Self.margin
        let width = m * 2 + (xr.high - xr.low) * unit, height = m * 2 + (yr.high - yr.low) * unit
        func px(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            (((m + (x - xr.low) * unit) * 100).rounded() / 100, ((m + (yr.high - y) * unit) * 100).rounded() / 100)
        }
        let origin = px(0, 0)
        var parts: [Node] = [
            .element("defs", [
                marker("\(id)-vq", "q"), marker("\(id)-vk", "k"),
            ]),
        ]
        // Axes and ticks.
        var axes: [Node] = [
            .element("line", ["x1": .string(svgNumber(px(xr.low, 0).x)), "y1": .string(svgNumber(origin.y)), "x2": .string(svgNumber(px(xr.high, 0).x)), "y2": .string(svgNumber(origin.y))]),
            .element("line", ["x1": .string(svgNumber(origin.x)), "y1": .string(svgNumber(px(0, yr.low).y)), "x2": .string(svgNumber(origin.x)), "y2": .string(svgNumber(px(0, yr.high).y))]),
        ]
        var ticks: [Node] = []
        for t in stride(from: xr.low, through: xr.high + xr.step / 2, by: xr.step) {
            let p = px(t, 0)
            axes.append(.element("line", ["x1": .string(svgNumber(p.x)), "y1": .string(svgNumber(p.y - 3)), "x2": .string(svgNumber(p.x)), "y2": .string(svgNumber(p.y + 3))]))
            if abs(t) > 1e-9 { ticks.append(.element("text", ["x": .string(svgNumber(p.x)), "y": .string(svgNumber(p.y + 15)), "text-anchor": "middle"], [.text(tick(t))])) }
        }
        for t in stride(from: yr.low, through: yr.high + yr.step / 2, by: yr.step) {
            let p = px(0, t)
            axes.append(.element("line", ["x1": .string(svgNumber(p.x - 3)), "y1": .string(svgNumber(p.y)), "x2": .string(svgNumber(p.x + 3)), "y2": .string(svgNumber(p.y))]))
            if abs(t) > 1e-9 { ticks.append(.element("text", ["x": .string(svgNumber(p.x - 6)), "y": .string(svgNumber(p.y + 4)), "text-anchor": "end"], [.text(tick(t))])) }
        }
        ticks.append(.element("text", ["x": .string(svgNumber(origin.x - 6)), "y": .string(svgNumber(origin.y + 15)), "text-anchor": "end"], ["0"]))
        // (The axes' names are in the caption: labels in the picture would meet the arrows' labels.)
        let nameY = px(0, yr.low).y + 24
        parts.append(.element("g", ["class": "axes"], axes))
        parts.append(.element("g", ["class": "ticks"], ticks))

        // θ and the projection, for the key the query scores highest (among keys of some length).
        let qLength = hypot(query.vector.x, query.vector.y)
        let scores = Array(event.values.row(i))
        let chosen = Self.chosenKey(query.vector, keys.map(\.vector), scores: scores)
        if let j = chosen {
            let key = keys[j]
            let along = scores[j] / qLength  // |k| cos θ
            let foot = px(query.vector.x / qLength * along, query.vector.y / qLength * along)
            let tip = px(key.vector.x, key.vector.y)
            var extra: [Node] = [
                .element("line", ["class": "drop", "x1": .string(svgNumber(tip.x)), "y1": .string(svgNumber(tip.y)), "x2": .string(svgNumber(foot.x)), "y2": .string(svgNumber(foot.y))]),
                .element("line", ["class": "projection", "x1": .string(svgNumber(origin.x)), "y1": .string(svgNumber(origin.y)), "x2": .string(svgNumber(foot.x)), "y2": .string(svgNumber(foot.y))]),
            ]
            let a1 = atan2(query.vector.y, query.vector.x), a2 = atan2(key.vector.y, key.vector.x)
            var delta = a2 - a1
            if delta > .pi { delta -= 2 * .pi }
            if delta < -.pi { delta += 2 * .pi }
            if abs(delta) > 0.05 {
                let r = 26.0
                func onArc(_ a: Double, _ radius: Double) -> String {
                    "\(svgNumber(((origin.x + radius * cos(a)) * 100).rounded() / 100)) \(svgNumber(((origin.y - radius * sin(a)) * 100).rounded() / 100))"
                }
                // Screen y runs down, so a counter-clockwise turn in the plane is sweep 0.
                extra.append(.element("path", ["class": "angle", "d": .string("M\(onArc(a1, r))A\(svgNumber(r)) \(svgNumber(r)) 0 0 \(delta > 0 ? 0 : 1) \(onArc(a2, r))")]))
                let mid = a1 + delta / 2
                let label = onArc(mid, r + 12).split(separator: " ")
                extra.append(.element("text", ["class": "theta", "x": .string(String(label[0])), "y": .string(String(label[1])), "text-anchor": "middle", "dominant-baseline": "middle"], ["θ"]))
            }
            parts.append(.element("g", ["class": "angle-work"], extra))
        }

        // Arrows: keys, then the query on top; tokens at the same tip share one label.
        var drawn: [Node] = []
        var labels: [(tip: (x: Double, y: Double), direction: (x: Double, y: Double), names: [[Node]], exact: Bool)] = []
        var zero: [[Node]] = []
        for arrow in [query] + keys {
            let tip = px(arrow.vector.x, arrow.vector.y)
            let name: [Node] = [.element("tspan", ["class": "sym"], [.text(arrow.role)]), .element("tspan", ["class": "sub", "dy": "4"], [.text(arrow.token)])]
            guard hypot(arrow.vector.x, arrow.vector.y) > 1e-12 else {
                zero.append(name)
                continue
            }
            drawn.append(.element("line", ["class": .string(arrow.role == "q" ? "vector query" : "vector key"), "x1": .string(svgNumber(origin.x)), "y1": .string(svgNumber(origin.y)),
                                           "x2": .string(svgNumber(tip.x)), "y2": .string(svgNumber(tip.y)), "marker-end": .string("url(#\(id)-v\(arrow.role))")]))
            // Tips that meet, or nearly (within 12 pixels), share one label.
            if let k = labels.firstIndex(where: { hypot($0.tip.x - tip.x, $0.tip.y - tip.y) < 12 }) {
                labels[k].names.append(name)
                labels[k].exact = labels[k].exact && labels[k].tip == tip
            } else {
                let length = hypot(tip.x - origin.x, tip.y - origin.y)
                labels.append((tip, ((tip.x - origin.x) / length, (tip.y - origin.y) / length), [name], true))
            }
        }
        parts.append(.element("g", ["class": "vectors"], drawn))
        var texts: [Node] = []
        // The labels' horizontal extent, estimated (8 px a character), widens the picture so
        // that no label runs off it.
        var (left, right) = (0.0, width)
        for label in labels {
            // Beyond the tip; an arrow that points up or down has its label to the right of
            // its tip, clear of the y-axis' tick labels on the left.
            let steep = abs(label.direction.x) <= 0.35
            let x = label.tip.x + (steep ? 8 : label.direction.x * 12), y = label.tip.y + label.direction.y * (steep ? 4 : 12) + 4
            let anchor = steep || label.direction.x > 0 ? "start" : "end"
            let extent = (label.names.reduce(0.0) { $0 + Self.characters($1) } + Double(label.names.count - 1) * 3) * 8
            if anchor == "start" { right = max(right, x + extent + 4) } else { left = min(left, x - extent - 4) }
            texts.append(.element("text", ["x": .string(svgNumber((x * 100).rounded() / 100)),
                                           "y": .string(svgNumber(((y + (label.direction.y > 0.35 ? 8 : 0)) * 100).rounded() / 100)),
                                           "text-anchor": .string(anchor)],
                                  Array(label.names.joined(separator: [.element("tspan", ["dy": "-4"], [label.exact ? " = " : " ≈ "])]))))
        }
        if !zero.isEmpty {
            right = max(right, px(xr.low, 0).x + (zero.reduce(0.0) { $0 + Self.characters($1) } + Double(zero.count - 1) * 2 + 26) * 7)
            texts.append(.element("text", ["class": "zero", "x": .string(svgNumber(px(xr.low, 0).x)), "y": .string(svgNumber(nameY + 20))],
                                  Array(zero.joined(separator: [.element("tspan", ["dy": "-4"], [", "])])) + [.element("tspan", ["dy": "-4"], [" = 0: a dot at the origin"])]))
            parts.append(.element("circle", ["class": "origin", "cx": .string(svgNumber(origin.x)), "cy": .string(svgNumber(origin.y)), "r": "3.5"]))
        }
        parts.append(.element("g", ["class": "labels"], texts))

        let description = "The query of \(query.token) and the keys as arrows in the plane of their two components: "
            + all.map { "\($0.role)_\($0.token) = (\(tick($0.vector.x)), \(tick($0.vector.y)))" }.joined(separator: ", ") + "."
        let plotHeight = height + (zero.isEmpty ? 0 : 20)
        return .element("figure", ["class": "vectors"], [
            .element("svg", ["viewBox": .string("\(svgNumber(left.rounded(.down))) 0 \(svgNumber((right - left).rounded(.up))) \(svgNumber(plotHeight))"),
                             "width": .string(svgNumber((right - left).rounded(.up))), "height": .string(svgNumber(plotHeight)),
                             "role": "img", "aria-label": .string(description)], parts),
            .element("figcaption", caption(event, i, query: query, keys: keys, chosen: chosen)),
        ])
    }

    /// Labels as they are when they differ, else each with its position: `la#0`, `la#1`.
    static func distinct(_ labels: [String]) -> [String] {
        Set(labels).count == labels.count ? labels : labels.enumerated().map { "\($1)#\($0)" }
    }

    /// The key whose angle and projection are drawn: the highest-scoring key at an angle to
    /// the query (a key along the query has no angle to show), else the highest-scoring key
    /// of some length; nil when the query or every key is 0.
    static func chosenKey(_ q: (x: Double, y: Double), _ keys: [(x: Double, y: Double)], scores: [Double]) -> Int? {
        guard hypot(q.x, q.y) > 1e-12 else { return nil }
        let long = keys.indices.filter { hypot(keys[$0].x, keys[$0].y) > 1e-12 }
        let turned = long.filter { abs(q.x * keys[$0].y - q.y * keys[$0].x) > 0.05 * hypot(q.x, q.y) * hypot(keys[$0].x, keys[$0].y) }
        return (turned.isEmpty ? long : turned).max { scores[$0] < scores[$1] }
    }

    /// Under the picture: each score as |q| |k| cos θ, the numbers multiplying to the score as printed.
    func caption(_ event: TraceEvent, _ i: Int, query: Arrow, keys: [Arrow], chosen: Int?) -> [Node] {
        func sym(_ role: String, _ token: String) -> [Node] { [.element("var", [.text(role)]), .element("sub", [.text(token)])] }
        let worked = Worked(decimals: block.decimals, maxTerms: 8)
        let scoreDecimals = worked.decimals(of: event.values)
        let qLength = hypot(query.vector.x, query.vector.y)
        var intro: [Node] = [.text("The query ")] + sym("q", query.token) + [.text(" (orange) and each key ")] + sym("k", "j")
            + [.text(" (blue) as arrows, component 0 across and component 1 up; arrows that end at the same point share a label "
                     + "(≈ where they end only nearly so). A score is ω = q · k = |q| |k| cos θ, θ the angle between the two arrows: "
                     + "long arrows that point the same way score high, "
                     + "arrows at a right angle score 0, opposite ones score below 0.")]
        if let chosen, abs(event.values[i, chosen]) < 1e-9 {
            intro += [.text(" ")] + sym("k", keys[chosen].token) + [.text(" is at a right angle to ")] + sym("q", query.token)
                + [.text(": its projection onto the query (the dashed line) is a single point, of length |k| cos 90° = 0, and so is the score.")]
        } else if let chosen {
            intro += [.text(" The thick band along ")] + sym("q", query.token) + [.text(" is the projection of ")] + sym("k", keys[chosen].token)
                + [.text(" onto it (the dashed line drops from the key's tip), of length |k| cos θ; times |q| it gives the score.")]
        }
        var items: [Node] = []
        for (j, key) in keys.enumerated() {
            let score = event.values[i, j]
            let kLength = hypot(key.vector.x, key.vector.y)
            let scoreText = NumberFormat.fixed(score, decimals: scoreDecimals)
            var line: [Node] = [.text("ω[\(query.token), \(key.token)] = |")] + sym("q", query.token) + [.text("| |")] + sym("k", key.token) + [.text("| cos θ = ")]
            if qLength < 1e-12 || kLength < 1e-12 {
                line = [.text("ω[\(query.token), \(key.token)] = ")] + [.element("strong", [.text(scoreText)])] + [.text(": ")]
                    + (qLength < 1e-12 ? sym("q", query.token) : sym("k", key.token)) + [.text(" has length 0 and no direction, and scores 0 with any vector")]
                items.append(.element("li", line))
                continue
            } else {
                let cosine = score / (qLength * kLength)
                let degrees = acos(max(-1, min(1, cosine))) * 180 / .pi
                let shown = Self.fitted(factors: [qLength, kLength, cosine], result: score, resultDecimals: scoreDecimals, from: block.decimals)
                line.append(.text("\(shown[0]) × \(shown[1]) × cos \(Self.degrees(degrees)) = \(shown[0]) × \(shown[1]) × \(shown[2]) = "))
            }
            line.append(.element("strong", [.text(scoreText)]))
            items.append(.element("li", line))
        }
        return intro + [.element("ul", items)]
    }

    /// The factors as printed: whole numbers as they are, the others with the fewest
    /// decimals (from `from`, up to four more) whose product rounds to the result as printed.
    static func fitted(factors: [Double], result: Double, resultDecimals: Int, from: Int) -> [String] {
        let target = NumberFormat.fixed(result, decimals: resultDecimals)
        func show(_ x: Double, _ places: Int) -> String {
            abs(x - x.rounded()) < 1e-9 ? NumberFormat.fixed(x.rounded(), decimals: 0) : NumberFormat.fixed(x, decimals: places)
        }
        var places = max(from, 1)
        while places < max(from, 1) + 4 {
            let product = factors.map { Double(show($0, places)) ?? $0 }.reduce(1, *)
            if NumberFormat.fixed(product, decimals: resultDecimals) == target { break }
            places += 1
        }
        return factors.map { show($0, places) }
    }

    /// The characters of a label's text nodes.
    static func characters(_ nodes: [Node]) -> Double {
        Double(nodes.map { $0.render().replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression).count }.reduce(0, +))
    }

    /// An angle in degrees: whole when it is, else one decimal.
    static func degrees(_ d: Double) -> String {
        abs(d - d.rounded()) < 0.05 ? "\(Int(d.rounded()))°" : NumberFormat.fixed(d, decimals: 1) + "°"
    }

    func tick(_ t: Double) -> String {
        abs(t - t.rounded()) < 1e-9 ? NumberFormat.fixed(t.rounded(), decimals: 0) : NumberFormat.fixed(t, decimals: 2)
    }

    func marker(_ markerID: String, _ role: String) -> Node {
        .element("marker", ["id": .string(markerID), "class": .string(role == "q" ? "query" : "key"), "viewBox": "0 0 8 8", "refX": "7", "refY": "4",
                            "markerUnits": "userSpaceOnUse", "markerWidth": "11", "markerHeight": "11", "orient": "auto"], [.element("path", ["d": "M0 0L8 4L0 8z"])])
    }
}
