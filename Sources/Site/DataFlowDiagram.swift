import AttentionEngine
import HTML
import Lessons
import TraceFormat

/// The whole computation of a worked example before its tables: one box per matrix the
/// trace makes (X → Q, K, V → ω → ω_scaled → ω_masked → α → Z → Z_concat → O, only those
/// the block has), each with its shape, and an arrow from each operand to what it makes.
///
/// Boxes and arrows come from the trace's events and their operands, so a stage this file
/// has never heard of still gets a box in the right column. Columns are the length of the
/// longest chain of operands before a matrix; within a column, boxes keep trace order
/// (Q, K, V). Arrows are elbows that turn just before their target, so an arrow that skips
/// columns (V → Z) runs along its own lane below the chain. With several heads, the
/// per-head boxes sit in a dashed frame, "× h heads". Drawn twice: across for wide screens,
/// down for phones (the stylesheet shows one).
struct DataFlowDiagram {
    struct Box {
        var name: String
        var shape: String
        var column = 0
        var slot = 0
        var perHead = false
    }

    let block: AttentionBlock
    let id: String

    static let boxWidth = 96.0, boxHeight = 44.0, along = 126.0, across = 62.0, margin = 8.0

    /// The boxes and arrows of the forward pass (the backward pass is not drawn).
    func graph() -> (boxes: [Box], edges: [(from: Int, to: Int)]) {
        var boxes: [Box] = []
        var index: [String: Int] = [:]
        var edges: [(Int, Int)] = []
        for event in block.trace.events where event.stage != .backward {
            if let k = index[event.name] {
                if event.head != nil && block.spec.heads > 1 { boxes[k].perHead = true }
                continue
            }
            let sources = event.operands.compactMap { index[$0.name] ?? index[Self.perHeadName($0.name)] }
            var box = Box(name: event.name, shape: event.shape.description)
            box.column = (sources.map { boxes[$0].column + 1 }.max() ?? 0)
            box.perHead = event.head != nil && block.spec.heads > 1 && event.stage != .concat && event.stage != .output
            index[event.name] = boxes.count
            for s in Set(sources).sorted() { edges.append((s, boxes.count)) }
            boxes.append(box)
        }
        var filled: [Int: Int] = [:]
        for k in boxes.indices {
            boxes[k].slot = filled[boxes[k].column, default: 0]
            filled[boxes[k].column, default: 0] += 1
        }
        return (boxes, edges)
    }

    /// The matrix a head's part is named after: `Z₁` → `Z`, `X[1]` → `X`.
    static func perHeadName(_ name: String) -> String {
        var base = Substring(name)
        if base.hasSuffix("]"), let open = base.lastIndex(of: "[") { base = base[..<open] }
        while let last = base.unicodeScalars.last, (0x2080...0x2089).contains(last.value) { base = base.dropLast() }
        return String(base)
    }

    func node() -> Node? {
        let (boxes, edges) = graph()
        guard boxes.count > 1 else { return nil }
        let description = "The computation of this example, from the input to the result: " + boxes.map { "\($0.name) \($0.shape)" }.joined(separator: ", then ")
            + (block.spec.heads > 1 ? "; the boxes in the dashed frame are computed once per head, \(block.spec.heads) heads." : ".")
        return .element("figure", ["class": "dataflow"], [
            svg(boxes, edges, across: true, description: description),
            svg(boxes, edges, across: false, description: description),
            .element("figcaption", [.text("What this example computes, in order, with the shape of each matrix (rows × columns)"
                                          + (block.spec.heads > 1 ? "; the dashed frame is repeated for each of the \(block.spec.heads) heads." : "."))]),
        ])
    }

    /// One drawing: `across` puts the columns left to right, else top to bottom.
    func svg(_ boxes: [Box], _ edges: [(from: Int, to: Int)], across: Bool, description: String) -> Node {
        let (w, h, m) = (Self.boxWidth, Self.boxHeight, Self.margin)
        // Top-left corner of a box: columns along the flow, slots across it.
        func corner(_ b: Box) -> (x: Double, y: Double) {
            across ? (m + Double(b.column) * Self.along, m + 14 + Double(b.slot) * Self.across)
                   : (m + Double(b.slot) * (w + 18), m + 14 + Double(b.column) * (h + 34))
        }
        let columns = (boxes.map(\.column).max() ?? 0) + 1, slots = (boxes.map(\.slot).max() ?? 0) + 1
        let width = across ? m * 2 + Double(columns - 1) * Self.along + w : m * 2 + Double(slots - 1) * (w + 18) + w
        let height = across ? m * 2 + 14 + Double(slots - 1) * Self.across + h + 14 : m * 2 + 14 + Double(columns - 1) * (h + 34) + h + 14
        let marker = "\(id)-arrow-\(across ? "a" : "d")"
        var parts: [Node] = [
            .element("defs", [.element("marker", ["id": .string(marker), "viewBox": "0 0 8 8", "refX": "7", "refY": "4", "markerWidth": "7", "markerHeight": "7", "orient": "auto"], [
                .element("path", ["d": "M0 0L8 4L0 8z"]),
            ])]),
        ]
        // The heads' frame, behind everything.
        let framed = boxes.filter(\.perHead).map(corner)
        if let minX = framed.map(\.x).min(), let maxX = framed.map(\.x).max(), let minY = framed.map(\.y).min(), let maxY = framed.map(\.y).max() {
            parts.append(.element("rect", ["class": "heads", "x": .string(svgNumber(minX - 5)), "y": .string(svgNumber(minY - 16)),
                                           "width": .string(svgNumber(maxX - minX + w + 10)), "height": .string(svgNumber(maxY - minY + h + 21)), "rx": "6"]))
            parts.append(.element("text", ["class": "heads-label", "x": .string(svgNumber(maxX + w + 1)), "y": .string(svgNumber(minY - 5)),
                                           "text-anchor": "end"], [.text("× \(block.spec.heads) heads")]))
        }
        var arrows: [Node] = []
        for (from, to) in edges {
            let (a, b) = (corner(boxes[from]), corner(boxes[to]))
            let d: String
            if across {
                let (x1, y1, x2, y2) = (a.x + w, a.y + h / 2, b.x, b.y + h / 2)
                d = "M\(svgNumber(x1)) \(svgNumber(y1))H\(svgNumber(x2 - 12))V\(svgNumber(y2))H\(svgNumber(x2 - 1))"
            } else {
                let (x1, y1, x2, y2) = (a.x + w / 2, a.y + h, b.x + w / 2, b.y)
                d = "M\(svgNumber(x1)) \(svgNumber(y1))V\(svgNumber(y2 - 12))H\(svgNumber(x2))V\(svgNumber(y2 - 1))"
            }
            arrows.append(.element("path", ["d": .string(d), "marker-end": .string("url(#\(marker))")]))
        }
        parts.append(.element("g", ["class": "edges"], arrows))
        for b in boxes {
            let (x, y) = corner(b)
            parts.append(.element("g", ["class": "box"], [
                .element("rect", ["x": .string(svgNumber(x)), "y": .string(svgNumber(y)), "width": .string(svgNumber(w)), "height": .string(svgNumber(h)), "rx": "5"]),
                name(b.name, x: x + w / 2, y: y + 19),
                .element("text", ["class": "shape", "x": .string(svgNumber(x + w / 2)), "y": .string(svgNumber(y + 36)), "text-anchor": "middle"], [.text(b.shape)]),
            ]))
        }
        return .element("svg", ["class": .string(across ? "across" : "down"), "viewBox": .string("0 0 \(svgNumber(width)) \(svgNumber(height))"),
                                "width": .string(svgNumber(width)), "height": .string(svgNumber(height)), "role": "img", "aria-label": .string(description)], parts)
    }

    /// A matrix name with its subscript lowered: `ω_scaled` → ω with "scaled" below.
    func name(_ text: String, x: Double, y: Double) -> Node {
        let pieces = text.split(separator: "_", maxSplits: 1).map(String.init)
        var children: [Node] = [.text(pieces[0])]
        if pieces.count > 1 { children.append(.element("tspan", ["class": "sub", "dy": "4"], [.text(pieces[1].replacingOccurrences(of: "_", with: ","))])) }
        return .element("text", ["class": "name", "x": .string(svgNumber(x)), "y": .string(svgNumber(y)), "text-anchor": "middle"], children)
    }
}
