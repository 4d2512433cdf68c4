import AttentionEngine
import HTML
import Lessons
import TraceFormat

/// How several heads split and join, drawn to scale from the trace's shapes: X (n × d_model)
/// times W_Q, W_K and W_V, each cut into h column blocks W_{Q,r} (one colour per head);
/// block r makes head r's Q_r, K_r and V_r, then α_r and Z_r in the head's lane; the Z_r
/// side by side are Z_concat (n × h·d_v), which times W_O (its row blocks in the heads'
/// colours) gives O (n × d_model). Every rectangle is its matrix's rows × columns in cells.
/// Shown above the stages of a block that shows the concatenation of two to four heads
/// (with as many K/V heads, and projections).
struct HeadsSplit {
    let block: AttentionBlock
    let id: String

    static let maxHeads = 4

    /// One drawn matrix: its name (base and subscript), shape, place, and head (nil: shared).
    struct Box {
        var base: String
        var sub: String
        var rows: Int
        var columns: Int
        var x = 0.0, y = 0.0
        var head: Int?
        /// Column blocks (W_Q, Z_concat) or row blocks (W_O) in the heads' colours.
        var split: Split = .none
        enum Split { case none, columns, rows }
    }

    /// The shapes, from the trace: nil when the block is not a split-and-concat of 2–4 heads.
    static func shapes(_ block: AttentionBlock) -> (x: Shape, q: Shape, k: Shape, v: Shape, alpha: Shape,
                                                   z: Shape, concat: Shape, wO: Shape?, o: Shape?)? {
        let spec = block.spec, events = block.trace.events
        guard (2...maxHeads).contains(spec.heads), spec.kvHeadCount == spec.heads, spec.projection != nil, spec.decode == nil,
              block.stages.contains(.concat),
              let concat = events.first(where: { $0.stage == .concat }),
              let q = events.first(where: { $0.stage == .projection && $0.head == 0 && $0.name == "Q" }),
              let k = events.first(where: { $0.stage == .projection && $0.head == 0 && $0.name == "K" }),
              let v = events.first(where: { $0.stage == .projection && $0.head == 0 && $0.name == "V" }),
              let alpha = events.first(where: { $0.stage == .normalization && $0.head == 0 }),
              let z = events.first(where: { $0.stage == .context && $0.head == 0 }),
              let x = q.operands.first?.matrix else { return nil }
        let output = events.first { $0.stage == .output }
        return (x.shape, q.values.shape, k.values.shape, v.values.shape, alpha.values.shape, z.values.shape, concat.values.shape,
                output?.operands.first { $0.name == "W_O" }?.matrix.shape, output?.values.shape)
    }

    /// The boxes in place, the lines between them (from box, to box, head), and the size.
    func layout() -> (boxes: [Box], links: [(from: Int, to: Int, head: Int?, block: Int?)], width: Double, height: Double, unit: Double)? {
        guard let s = Self.shapes(block) else { return nil }
        let h = block.spec.heads
        let inputName = block.trace.events.first { $0.stage == .projection }?.operands.first?.name ?? "X"
        let largest = [s.x.rows, s.x.columns, s.q.columns * h, s.v.columns * h, s.k.rows, s.alpha.columns].max() ?? 1
        let u = max(4, min(12, (160.0 / Double(largest)).rounded(.down)))
        let gap = 56.0, labelRoom = 22.0, shapeRoom = 18.0
        var boxes: [Box] = []
        var links: [(Int, Int, Int?, Int?)] = []
        func w(_ b: Box) -> Double { Double(b.columns) * u }
        func ht(_ b: Box) -> Double { Double(b.rows) * u }
        // Lanes, one per head, and the weights' stack: the picture's height is the taller.
        let laneHeight = labelRoom + Double(max(s.q.rows, s.k.rows, s.alpha.rows)) * u + shapeRoom + 10
        let weights = ["Q", "K", "V"].map { name in
            Box(base: "W", sub: name, rows: s.x.columns, columns: (name == "V" ? s.v.columns : s.q.columns) * h, split: .columns)
        }
        let stackHeight = weights.map { labelRoom + ht($0) + shapeRoom }.reduce(0, +) + 8 * 2
        let height = max(laneHeight * Double(h), stackHeight) + 8
        func centred(_ b: inout Box, _ x: Double) { b.x = x; b.y = (height - ht(b)) / 2 }

        var x = 12.0
        var input = Box(base: String(inputName.prefix { $0 != "_" }), sub: String(inputName.drop { $0 != "_" }.dropFirst()), rows: s.x.rows, columns: s.x.columns)
        centred(&input, x)
        boxes.append(input)
        x += w(input) + gap
        // W_Q, W_K, W_V stacked, centred.
        var y = (height - stackHeight) / 2 + labelRoom
        var weightIndex: [Int] = []
        for var b in weights {
            b.x = x; b.y = y
            y += ht(b) + shapeRoom + 8 + labelRoom
            weightIndex.append(boxes.count)
            links.append((0, boxes.count, nil, nil))
            boxes.append(b)
        }
        x += Double(max(s.q.columns, s.v.columns) * h) * u + gap
        // One lane per head: Q_r K_r V_r → α_r → Z_r.
        var zIndex: [Int] = []
        var laneEnd = x
        for r in 0..<h {
            var lx = x
            let top = Double(r) * laneHeight + (height - laneHeight * Double(h)) / 2 + labelRoom
            for (k, (name, shape)) in [("Q", s.q), ("K", s.k), ("V", s.v)].enumerated() {
                var b = Box(base: name, sub: "\(r)", rows: shape.rows, columns: shape.columns, head: r)
                b.x = lx; b.y = top
                links.append((weightIndex[k], boxes.count, r, r))
                boxes.append(b)
                lx += w(b) + 16
            }
            lx += 18
            var alpha = Box(base: "α", sub: "\(r)", rows: s.alpha.rows, columns: s.alpha.columns, head: r)
            alpha.x = lx; alpha.y = top
            links.append((boxes.count - 3, boxes.count, r, nil))  // from Q_r
            boxes.append(alpha)
            lx += w(alpha) + 34
            var z = Box(base: "Z", sub: "\(r)", rows: s.z.rows, columns: s.z.columns, head: r)
            z.x = lx; z.y = top
            links.append((boxes.count - 1, boxes.count, r, nil))
            zIndex.append(boxes.count)
            boxes.append(z)
            laneEnd = max(laneEnd, lx + w(z))
        }
        x = laneEnd + gap
        var concat = Box(base: "Z", sub: "concat", rows: s.concat.rows, columns: s.concat.columns, split: .columns)
        centred(&concat, x)
        for (r, k) in zIndex.enumerated() { links.append((k, boxes.count, r, r)) }
        boxes.append(concat)
        x += w(concat) + 40
        if let wO = s.wO, let o = s.o {
            var weight = Box(base: "W", sub: "O", rows: wO.rows, columns: wO.columns, split: .rows)
            centred(&weight, x)
            boxes.append(weight)
            x += w(weight) + 40
            var output = Box(base: "O", sub: "", rows: o.rows, columns: o.columns)
            centred(&output, x)
            boxes.append(output)
            x += w(output)
        }
        return (boxes, links, x + 12, height, u)
    }

    func node() -> Node? {
        guard let (boxes, links, width, height, u) = layout() else { return nil }
        let h = block.spec.heads
        func blockWidth(_ b: Box) -> Double { Double(b.columns) * u / Double(h) }
        func blockHeight(_ b: Box) -> Double { Double(b.rows) * u / Double(h) }
        var parts: [Node] = []
        // Lines first, under the boxes.
        var lines: [Node] = []
        for (from, to, head, cut) in links {
            let (a, b) = (boxes[from], boxes[to])
            // Start at the right edge of the source (of its head's column block, for W), end at the target's left edge
            // (at its head's column block, for Z_concat).
            let startX = a.split == .columns && cut != nil ? a.x + blockWidth(a) * (Double(cut!) + 0.5) : a.x + Double(a.columns) * u
            let startY = a.split == .columns && cut != nil ? a.y + Double(a.rows) * u : a.y + Double(a.rows) * u / 2
            // Lines from a weight's block all end at the start of the head's lane, left of Q_r.
            let lane = a.split == .columns && cut != nil ? boxes[to - ["Q", "K", "V"].firstIndex(of: b.base)!] : b
            let endX = b.split == .columns && head != nil ? b.x + blockWidth(b) * (Double(head!) + 0.5) : lane.x - (a.split == .columns ? 3 : 0)
            let endY = b.split == .columns && head != nil ? b.y - 2 : lane.y + Double(lane.rows) * u / 2
            let d = "M\(svgNumber(round2(startX))) \(svgNumber(round2(startY)))L\(svgNumber(round2(endX))) \(svgNumber(round2(endY)))"
            lines.append(.element("path", ["class": .string(head.map { "link head-\($0)" } ?? "link"), "d": .string(d)]))
        }
        parts.append(.element("g", ["class": "links"], lines))
        // The products' signs between Z_concat, W_O and O.
        if boxes.count >= 3, boxes[boxes.count - 2].base == "W", boxes[boxes.count - 2].sub == "O" {
            let (c, wO, o) = (boxes[boxes.count - 3], boxes[boxes.count - 2], boxes[boxes.count - 1])
            for (sign, left, right) in [("·", c, wO), ("=", wO, o)] {
                let x = (left.x + Double(left.columns) * u + right.x) / 2
                parts.append(.element("text", ["class": "op", "x": .string(svgNumber(round2(x))), "y": .string(svgNumber(round2(height / 2 + 5))), "text-anchor": "middle"], [.text(sign)]))
            }
        }
        for b in boxes {
            var rects: [Node] = []
            let (bw, bh) = (Double(b.columns) * u, Double(b.rows) * u)
            switch b.split {
            case .columns:
                for r in 0..<h {
                    rects.append(.element("rect", ["class": .string("cells head-\(r)"), "x": .string(svgNumber(round2(b.x + blockWidth(b) * Double(r)))), "y": .string(svgNumber(round2(b.y))),
                                                   "width": .string(svgNumber(round2(blockWidth(b)))), "height": .string(svgNumber(round2(bh)))]))
                }
            case .rows:
                for r in 0..<h {
                    rects.append(.element("rect", ["class": .string("cells head-\(r)"), "x": .string(svgNumber(round2(b.x))), "y": .string(svgNumber(round2(b.y + blockHeight(b) * Double(r)))),
                                                   "width": .string(svgNumber(round2(bw))), "height": .string(svgNumber(round2(blockHeight(b))))]))
                }
            case .none:
                rects.append(.element("rect", ["class": .string(b.head.map { "cells head-\($0)" } ?? "cells"), "x": .string(svgNumber(round2(b.x))), "y": .string(svgNumber(round2(b.y))),
                                               "width": .string(svgNumber(round2(bw))), "height": .string(svgNumber(round2(bh)))]))
            }
            rects.append(.element("rect", ["class": "outline", "x": .string(svgNumber(round2(b.x))), "y": .string(svgNumber(round2(b.y))),
                                           "width": .string(svgNumber(round2(bw))), "height": .string(svgNumber(round2(bh)))]))
            var name: [Node] = [.text(b.base)]
            if !b.sub.isEmpty { name.append(.element("tspan", ["class": "sub", "dy": "4"], [.text(b.sub)])) }
            let middle = svgNumber(round2(b.x + bw / 2))
            // Z_concat's lines arrive at its top, so its name goes underneath.
            let nameY = b.split == .columns && b.head == nil && b.base == "Z" ? b.y + bh + 34 : b.y - 8
            rects.append(.element("text", ["class": "name", "x": .string(middle), "y": .string(svgNumber(round2(nameY))), "text-anchor": "middle"], name))
            rects.append(.element("text", ["class": "shape", "x": .string(middle), "y": .string(svgNumber(round2(b.y + bh + 14))), "text-anchor": "middle"], [.text("\(b.rows)×\(b.columns)")]))
            parts.append(.element("g", ["class": .string(b.head.map { "matrix head-\($0)" } ?? "matrix")], rects))
        }
        let s = Self.shapes(block)!
        let description = "How the \(h) heads split and join: \(boxes[0].base) (\(s.x.rows)×\(s.x.columns)) times W_Q, W_K and W_V, each cut into \(h) blocks of columns, one per head; "
            + "block r makes head r's Q_r (\(s.q.rows)×\(s.q.columns)), K_r (\(s.k.rows)×\(s.k.columns)) and V_r (\(s.v.rows)×\(s.v.columns)), then α_r (\(s.alpha.rows)×\(s.alpha.columns)) "
            + "and Z_r (\(s.z.rows)×\(s.z.columns)); the \(h) Z_r side by side make Z_concat (\(s.concat.rows)×\(s.concat.columns))"
            + (s.o.map { o in ", which times W_O (\(s.wO!.rows)×\(s.wO!.columns)) gives O (\(o.rows)×\(o.columns))." } ?? ".")
        return .element("figure", ["class": "heads-split"], [
            .element("div", ["class": "scroll", "role": "region", "tabindex": "0", "aria-label": "How the heads split and join"], [
                .element("svg", ["viewBox": .string("0 0 \(svgNumber(round2(width))) \(svgNumber(round2(height)))"),
                                 "width": .string(svgNumber(round2(width))), "height": .string(svgNumber(round2(height))),
                                 "role": "img", "aria-label": .string(description)], parts),
            ]),
            .element("figcaption", [.text(description + " Each rectangle is drawn to scale, one square per number; each head has its colour.")]),
        ])
    }

    func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
