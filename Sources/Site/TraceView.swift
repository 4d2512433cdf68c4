import AttentionEngine
import Diagnostics
import HTML
import Lessons
import MathML
import TraceFormat

/// An attention block as a worked example: one section per stage shown, each with its
/// formula (MathML), shapes, tables, and for the focus token the arithmetic behind it.
struct TraceView {
    let block: AttentionBlock
    let id: String
    /// Heading level for the block's title; stages use the next level.
    let level: Int

    var decimals: Int { block.decimals }
    var spec: AttentionSpec { block.spec }
    var worked: Worked { Worked(decimals: decimals, maxTerms: 8) }
    var focusLabel: String? { block.focus.map { spec.tokens[$0] } }

    func node() throws(Diagnostic) -> Node {
        let heading: [Node]
        if let title = block.title {
            heading = [.element("span", ["class": "example-num"], [.text("Worked example \(block.ordinal)")]),
                       .element("span", ["class": "sr-only"], [": "]),
                       .element("span", ["class": "example-title"], try FrontMatterText.nodes(title, at: block.location))]
        } else {
            heading = [.element("span", ["class": "example-title"], [.text("Worked example \(block.ordinal)")])]
        }
        var children: [Node] = [
            .element("h\(level)", ["id": .string(id)], heading),
            summary(),
        ]
        if let diagram = DataFlowDiagram(block: block, id: id).node() { children.append(diagram) }  // DataFlowDiagram.swift
        if let split = HeadsSplit(block: block, id: id).node() { children.append(split) }  // 2–4 heads: HeadsSplit.swift
        if block.reveal == .onDemand {
            children.append(.element("p", ["class": "note your-turn"], [.element("strong", ["Your turn."]), " Work out each result from its formula and the tables given, then open it to check."]))
        }
        let grid = HeadsGrid.make(for: block, id: id)
        if let grid { children.append(revealed(["All heads' weights α"], [grid])) }  // many heads: HeadsGrid.swift
        var shownOperands = Set<String>()
        // Under the heads grid, each head's stages are folded into one <details> per head,
        // placed where the head's first stage would be.
        var folded: [Int: (at: Int, stages: [Node])] = [:]
        for event in block.trace.events where block.stages.contains(event.stage) {
            let node = try stage(event, shownOperands: &shownOperands)
            if grid != nil, let head = event.head {
                if folded[head] == nil { folded[head] = (children.count, []); children.append(.fragment([])) }
                folded[head]!.stages.append(node)
            } else {
                children.append(node)
            }
        }
        for (head, group) in folded {
            let names = block.stages.filter { s in block.trace.events.contains { $0.stage == s && $0.head == head } }
                .compactMap { s in block.trace.events.first { $0.stage == s && $0.head == head }?.name }
            children[group.at] = .element("details", ["class": "head-tables", "id": .string("\(id)-head-\(head)")], [
                .element("summary", [.text("Head \(head): ")] + Array(names.map { symbol($0 + "_\(head)") }.joined(separator: [", "]))
                                    + [.text(block.focus == nil ? "" : ", with the worked arithmetic")]),
            ] + group.stages)
        }
        return .element("section", ["class": "trace", "aria-labelledby": .string(id)], children)
    }

    /// What is being computed: the tokens, then the sizes and options, one fact each. A
    /// width is named only when a stage the block shows is where it appears: d_model with
    /// the input, projections, positions or output; d_k and d_v with the projections, and
    /// d_k with the scaling by √d_k. (An early lesson that shows only scores and weights
    /// does not name widths it has not taught.)
    func summary() -> Node {
        func sub(_ base: String, _ index: String, _ value: Int) -> [Node] {
            [.element("var", [.text(base)]), .element("sub", [.text(index)]), .text(" = \(value)")]
        }
        let shows = Set(block.stages)
        var facts: [[Node]] = [
            [.text("\(spec.tokens.count) token\(spec.tokens.count == 1 ? "" : "s")")],
        ]
        if !shows.isDisjoint(with: [.input, .projection, .positional, .output]) { facts.append(sub("d", "model", spec.dModel)) }
        if spec.projection != nil {
            if !shows.isDisjoint(with: [.projection, .scaling]) { facts.append(sub("d", "k", spec.dK)) }
            if shows.contains(.projection) { facts.append(sub("d", "v", spec.dV)) }
        } else {
            facts.append(["no projections: Q = K = V = X"])
        }
        if spec.heads > 1 { facts.append([.text("\(spec.heads) heads")]) }
        if !spec.scale { facts.append(["no scaling"]) }
        switch spec.mask {
        case .causal: facts.append(["causal mask"])
        case .padding(let p): facts.append([.text("padding mask on " + zip(spec.keyTokens, p).filter(\.1).map(\.0).joined(separator: ", "))])
        case .window(let w): facts.append([.text("sliding window of \(w) (causal)")])
        case nil: break
        }
        if spec.kvHeadCount != spec.heads {
            let groups = (0..<spec.kvHeadCount).map { g in
                let shared = spec.queryHeads(sharing: g)
                return "\(shared.lowerBound)–\(shared.upperBound - 1) → \(g)"
            }
            facts.append([.text("\(spec.kvHeadCount) K/V head\(spec.kvHeadCount == 1 ? "" : "s") shared by the query heads (" + groups.joined(separator: ", ") + ")")])
        }
        if let rope = spec.rotary { facts.append([.text("rotary positions, \(rope.pairing == .half ? "halves" : "adjacent pairs"), "
            + "base \(rope.base == rope.base.rounded() ? String(Int(rope.base)) : NumberFormat.roundTrip(rope.base))")]) }
        if let decode = spec.decode { facts.append([.text("KV cache: prefill of \(decode.prefill), then one decode step per token")]) }
        if let tiles = spec.tiles { facts.append([.text("tiles of \(tiles.rows) × \(tiles.columns), online softmax")]) }
        if let source = spec.source { facts.append([.text("keys and values from: " + source.tokens.joined(separator: " "))]) }
        if spec.positional == .sinusoidal { facts.append(["sinusoidal positions"]) }
        if let focusLabel { facts.append(["worked for ", .element("strong", [.text(focusLabel)])]) }
        var tokens: [Node] = [.element("span", ["class": "label"], ["Tokens"])]
        for (i, token) in spec.tokens.enumerated() {
            tokens.append(" ")
            tokens.append(.element("span", ["class": i == block.focus ? "tok focus" : "tok"], [.text(token)]))
        }
        return .element("div", ["class": "trace-facts"], [
            .element("p", ["class": "tokens"], tokens),
            .element("ul", ["class": "facts"], facts.map { .element("li", $0) }),
        ])
    }

    func stage(_ event: TraceEvent, shownOperands: inout Set<String>) throws(Diagnostic) -> Node {
        let named: Set<Stage> = [.projection, .input, .positional, .rotary, .tiling, .decoding, .backward]
        let stageID = "\(id)-\(event.stage.rawValue)" + (event.head.map { "-h\($0)" } ?? "")
            + (named.contains(event.stage) || event.name == "Z_prefill" ? "-\(slug(event.name))" : "")
            + (event.decodeToken.map { "-t\($0)" } ?? "")
        var heading = symbol(Formulas.title(event, spec: spec))
        if spec.heads > 1, let head = event.head {
            heading += [.element("span", ["class": "sr-only"], [","]), " ", .element("span", ["class": "badge"], [.text("head \(head)")])]
        }
        var children: [Node] = [.element("h\(min(level + 1, 6))", ["id": .string(stageID)], heading)]
        let formulas = try Formulas.tex(event, block.notation, spec: spec).map { (tex: String) throws(Diagnostic) -> Node in
            try mathML(fromTeX: tex, display: true, at: block.location)
        }
        var math: [Node] = []
        if !formulas.isEmpty { math.append(.element("div", ["class": "formula"], formulas)) }
        math.append(.element("p", ["class": "shape"], [.element("span", ["class": "label"], ["Shapes"]), " ", .text(columnShape(event) ?? event.shapeSummary)]))
        children.append(.element("div", ["class": "stage-math"], math))

        var tables: [Node] = []
        // Operands not yet on the page (the weights of a projection, say).
        for operand in event.operands where !shownOperands.contains(operand.name + "@\(event.head ?? -1)") && shouldShow(operand, of: event) {
            shownOperands.insert(operand.name + "@\(event.head ?? -1)")
            tables.append(table(headed(operand.name, event.head), operand.matrix, operand.rowLabels, operand.columnLabels, heat: false, transpose: transposes(operand.name)))
        }
        let masking = event.stage == .normalization ? block.trace.events.first { $0.stage == .masking && $0.head == event.head } : nil
        let result = table(headed(event.name, event.head), event.values, event.rowLabels, event.columnLabels, heat: event.stage == .normalization,
                           transpose: transposes(event.name), keep: event.rowLabels == spec.tokens ? block.focus : nil,
                           maskedBy: masking.flatMap { $0.values.shape == event.values.shape ? $0.values : nil })
        shownOperands.insert(event.name + "@\(event.head ?? -1)")
        // With `reveal: on-demand` everything computed goes into `hidden`, closed until opened.
        let onDemand = block.reveal == .onDemand && event.stage != .input
        var hidden: [Node] = []
        if onDemand {
            if !tables.isEmpty { children.append(.element("div", ["class": "tables"], tables)) }
            hidden.append(.element("div", ["class": "tables"], [result]))
        } else {
            // After the operands, an arrow to the result; the two stay together when the tables wrap.
            tables.append(tables.isEmpty ? result : .element("div", ["class": "result"], [.element("span", ["class": "op", "aria-hidden": "true"], ["→"]), result]))
            children.append(.element("div", ["class": "tables"], tables))
        }
        var after: [Node] = []
        if event.stage == .normalization { after.append(heatLegend(masked: masking != nil)) }
        // A heatmap when the table is too big to take in at a glance; not for the scaled scores,
        // whose picture is the one of ω (the heatmap is drawn relative to the largest value).
        if event.values.rows > Heatmap.drawnFrom || event.values.columns > Heatmap.drawnFrom, event.stage != .scaling {
            after.append(Heatmap(name: event.name, matrix: event.values, weights: event.stage == .normalization,
                                 rowLabels: event.rowLabels, columnLabels: event.columnLabels, id: stageID).node)
        }
        if event.stage == .masking { children.append(maskNote(event)) }
        // The focus token's own row (not, in cross-attention, the row of a source token).
        var workedToo = false
        if let focus = block.focus, event.rowLabels == spec.tokens, let work = workedNode(event, focus) {
            after.append(work)
            workedToo = true
        } else if event.stage == .decoding, event.decodeToken == block.focus, let work = workedNode(event, 0) {
            after.append(work)
            workedToo = true
        } else if event.stage == .tiling, block.focus != nil {
            after += (0..<event.values.rows).compactMap { workedNode(event, $0) }
            workedToo = true
        }
        if event.stage == .similarity, event.decodeToken == nil, let plot = VectorPlot(block: block, id: id).node() {  // 2-D: VectorPlot.swift
            after.append(plot)
        }
        if event.stage == .normalization, let focus = block.focus, event.rowLabels == spec.tokens, event.values.columns <= 40 {
            after.append(spec.source != nil ? CrossAttentionPicture(block: block, event: event, row: focus, id: id).node()  // CrossAttentionPicture.swift
                                            : attentionPicture(event, focus))
        }
        if onDemand {
            let name = symbol(event.name)
            children.append(revealed(name + [.text(workedToo ? " and how it is worked" : "")], hidden + after))
        } else {
            children += after
        }
        return .element("section", ["class": "stage stage-\(event.stage.rawValue)", "aria-labelledby": .string(stageID)], children)
    }

    /// Nodes closed behind "Show …" until the student opens them (`reveal: on-demand`), or
    /// the nodes themselves when the block reveals everything.
    func revealed(_ what: [Node], _ nodes: [Node]) -> Node {
        guard block.reveal == .onDemand else { return nodes.count == 1 ? nodes[0] : .fragment(nodes) }
        return .element("details", ["class": "reveal"], [.element("summary", [.text("Show ")] + what)] + nodes)
    }

    /// How to read the shading of α: a few sample weights, shaded as in the table.
    func heatLegend(masked: Bool) -> Node {
        var items: [Node] = [.element("span", ["class": "label"], ["Shading"]), " "]
        for w in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let text = NumberFormat.fixed(w, decimals: 2)
            items.append(.element("span", ["class": .string("swatch " + (w > MatrixTable.hotThreshold ? "hot" : "warm")),
                                           "style": .string("--w: \(NumberFormat.fixed(w, decimals: 3))")], [.text(text)]))
        }
        items.append(.text(" the stronger the colour, the more weight"))
        if masked {
            items += [.text(";"), " ", .element("span", ["class": "swatch masked"], ["0.00"]), .text(" masked, weight exactly 0")]
        }
        return .element("p", ["class": "heat-legend"], items)
    }

    /// A per-head matrix's name with its head, as the glossary writes it: `W_Q` of head 1 is
    /// `W_Q_1` (printed W_{Q,1}), `α` is `α_1`, `ω_scaled` is `ω_scaled_1`. The input X, shared
    /// by every head, keeps its name.
    func headed(_ name: String, _ head: Int?) -> String {
        guard spec.heads > 1, let head, !name.hasPrefix("X") else { return name }
        return name + "_\(head)"
    }

    func shouldShow(_ operand: Operand, of event: TraceEvent) -> Bool {
        switch event.stage {
        case .projection, .output: return operand.name.hasPrefix("W_")
        case .positional: return operand.name == "PE"
        default: return false
        }
    }

    /// The shape line in column notation, where the tables are transposed: Xᵀ is d_model × n,
    /// and Qᵀ = U_q·Xᵀ is (d_k × d_model)·(d_model × n) → (d_k × n). Nil: the row notation's line.
    func columnShape(_ event: TraceEvent) -> String? {
        guard block.notation == .column, transposes(event.name) else { return nil }
        let m = event.values
        switch event.stage {
        case .input, .positional:
            return "(\(m.columns)×\(m.rows))"
        case .projection where event.operands.count == 2:
            let (x, w) = (event.operands[0].matrix, event.operands[1].matrix)
            return "(\(w.columns)×\(w.rows))·(\(x.columns)×\(x.rows)) → (\(m.columns)×\(m.rows))"
        default:
            return nil
        }
    }

    /// In column notation, per-token matrices are shown with one column per token.
    func transposes(_ name: String) -> Bool {
        block.notation == .column && ["X", "X_pos", "X_src", "X_src_pos", "Q", "K", "V", "Z", "W_Q", "W_K", "W_V"].contains(name)
    }

    func table(_ name: String, _ m: Matrix, _ rows: [String], _ columns: [String], heat: Bool, transpose: Bool, keep: Int? = nil, maskedBy: Matrix? = nil) -> Node {
        if transpose {
            let shown = name.hasPrefix("W_") ? "U_" + name.dropFirst(2).lowercased() + " = " + name + "ᵀ" : name + "ᵀ"
            return MatrixTable(name: shown, matrix: m.transposed, rowLabels: columns, columnLabels: rows, decimals: decimals, heat: heat,
                               focusColumn: keep, maskedBy: maskedBy?.transposed).node
        }
        return MatrixTable(name: name, matrix: m, rowLabels: rows, columnLabels: columns, decimals: decimals, heat: heat, keepRow: keep, maskedBy: maskedBy,
                           columnGroup: name == "Z_concat" && spec.heads > 1 ? m.columns / spec.heads : nil).node
    }

    func maskNote(_ event: TraceEvent) -> Node {
        let text: String
        switch spec.mask {
        case .causal: text = "−∞ marks a key that comes after its query: a causal mask lets each token look only at itself and earlier "
            + "tokens. exp(−∞) = 0, so these weights come out exactly 0."
        case .padding(let p):
            let keys = zip(spec.keyTokens, p).filter(\.1).map(\.0).joined(separator: ", ")
            text = "−∞ fills the columns of the padding keys (\(keys)): they are filler, not words, so no query may attend to them. exp(−∞) = 0, so their weights come out exactly 0."
        case .window(let w):
            text = "−∞ marks a key after its query (causal) or \(w) or more tokens before it (outside the sliding window of \(w)): "
                + "each token looks at itself and the \(w - 1) tokens before it. exp(−∞) = 0, so these weights come out exactly 0."
        case nil: text = ""
        }
        return .element("p", ["class": "note"], [.text(text)])
    }

    // MARK: Worked arithmetic for the focus token

    func workedNode(_ event: TraceEvent, _ i: Int) -> Node? {
        let label = event.rowLabels[i]
        var items: [Node] = []
        var columns = MatrixTable.shown(event.values.columns).compactMap { $0 }
        switch event.stage {
        case .projection:
            columns = Array(columns.prefix(event.values.columns <= 4 ? 4 : 1))
            items = block.notation == .column
                ? columns.map { line(worked.columnCell(event, row: i, column: $0) ?? worked.cell(event, row: i, column: $0)) }
                : worked.lines(event, row: i, columns: columns).map(line)
        case .similarity, .scaling, .masking, .output, .positional, .concat, .rotary, .decoding, .tiling, .dropout:
            items = worked.lines(event, row: i, columns: columns).map(line)
        case .normalization:
            return workedSoftmax(event, i)
        case .context where event.weightedRows(of: i) == nil:
            items = columns.map { line(worked.cell(event, row: i, column: $0)) }
        case .context:
            return workedContext(event, i)
        case .backward:
            return workedGradient(event, i)
        default:
            return nil
        }
        guard !items.isEmpty else { return nil }
        return .element("div", ["class": "worked"], [
            .element("p", ["class": "worked-title"], [.text("Worked for "), .element("strong", [.text(label)]) ]
                + (columns.count == event.values.columns ? []
                    : [.text(columns.count == 1 ? " (the first column; the others are computed the same way)" : " (the first and last columns)")])),
            .element("ul", items),
        ])
    }

    /// One line of arithmetic, `name = how = … = result`, with the name and the result set
    /// apart so that the lines of a stage line up.
    func line(_ work: WorkedLine) -> Node {
        var rhs: [Node] = [.text("= ")]
        if !work.steps.isEmpty { rhs.append(.text(work.steps.joined(separator: " = ") + " = ")) }
        rhs.append(.element("strong", ["class": "result"], [.text(work.result)]))
        if let note = work.note { rhs.append(.text(" " + note)) }
        return .element("li", [.element("span", ["class": "arith"], [
            .element("span", ["class": "lhs"], [.text(work.name)]), " ",
            .element("span", ["class": "rhs"], rhs),
        ])])
    }

    /// The stable softmax of the focus row as a table: score, minus max, exp, divided by Σ.
    func workedSoftmax(_ event: TraceEvent, _ i: Int) -> Node? {
        guard case .softmax(let work, _, _) = event.explain(row: i, column: 0) else { return nil }
        let steps = SoftmaxSteps(work, worked: worked, scoreDecimals: NumberFormat.decimals(for: work.scores, decimals),
                                 weightDecimals: worked.decimals(of: event.values))
        let keys = MatrixTable.shown(work.scores.count)
        func row(_ title: String, _ values: [String], heat: Bool = false, rowClass: String? = nil) -> Node {
            .element("tr", rowClass.map { ["class": .string($0)] } ?? [:], [.element("th", ["scope": "row"], [.text(title)])] + keys.map { j in
                j.map { MatrixTable.textCell(values[$0], value: heat ? work.weights[$0] : nil, masked: steps.masked[$0]) } ?? .element("td", ["class": "gap"], ["…"])
            })
        }
        let header = Node.element("tr", [.element("th", ["scope": "col"], [.element("span", ["class": "sr-only"], ["step"])])] + keys.map { j in
            j.map { .element("th", ["scope": "col"], [.text(event.columnLabels[$0])]) } ?? .element("th", ["scope": "col"], ["…"])
        })
        let label = event.rowLabels[i]
        let table = Node.element("div", ["class": "scroll", "role": "region", "tabindex": "0", "aria-label": .string("Softmax of the row of \(label)")], [
            .element("table", ["class": "matrix worked-table softmax-table"], [
                .element("caption", [.text("Stable softmax of the row of \(label)")]),
                .element("thead", [header]),
                .element("tbody", [
                    row("score s", steps.scores),
                    row("s − max", steps.shifted),
                    row("exp(s − max)", steps.exponentials, rowClass: "exp"),
                    row("α = exp ÷ Σ", steps.weights, heat: true, rowClass: "alpha"),
                ]),
            ]),
        ])
        return .element("div", ["class": "worked"], [
            .element("p", ["class": "worked-title"], [.text("Worked for "), .element("strong", [.text(label)]), .text(": the row maximum is "
                + "\(steps.maximum); subtracting it makes the largest exponent exp(0) = 1, so nothing overflows, "
                + "and the sum of the exponentials is Σ = "),
                .element("span", ["class": "softmax-sum"], [.text(steps.sum)]), .text(".")]),
            table,
        ])
    }

    /// z of the focus token as a weighted sum of value rows.
    func workedContext(_ event: TraceEvent, _ i: Int) -> Node? {
        guard let sum = WeightedRowSum(event, row: i, worked: worked) else { return nil }
        let label = event.rowLabels[i]
        let keys = MatrixTable.shown(sum.rows.count)
        let dims = MatrixTable.shown(event.values.columns)
        func cells(_ v: [String]) -> [Node] {
            dims.map { d in d.map { .element("td", [.text(v[$0])]) } ?? .element("td", ["class": "gap"], ["…"]) }
        }
        var body: [Node] = []
        for k in keys {
            guard let k else { body.append(.element("tr", ["class": "gap"], [.element("th", ["scope": "row"], ["⋮"])] + dims.map { _ in .element("td", ["class": "gap"], ["⋮"]) })); continue }
            let row = sum.rows[k]
            body.append(.element("tr", [.element("th", ["scope": "row"], [.text("\(row.weight) × \(sum.valueName)[\(row.label)]")])] + cells(row.products)))
        }
        body.append(.element("tr", ["class": "total"], [.element("th", ["scope": "row"], [.text("z[\(label)] = sum")])] + cells(sum.total)))
        let header = Node.element("tr", [.element("th", ["scope": "col"], [.text("α × value row")])] + dims.map { d in
            d.map { .element("th", ["scope": "col"], [.text(event.columnLabels[$0])]) } ?? .element("th", ["scope": "col"], ["…"])
        })
        return .element("div", ["class": "worked"], [
            .element("p", ["class": "worked-title"], [.text("Worked for "), .element("strong", [.text(label)]), .text(": each value row scaled by its weight, then added up.")]),
            .element("div", ["class": "scroll", "role": "region", "tabindex": "0", "aria-label": .string("Context vector of \(label)")], [
                .element("table", ["class": "matrix worked-table sum-table"], [
                    .element("caption", [.text("z[\(label)] as a weighted sum of the rows of \(sum.valueName)")]),
                    .element("thead", [header]),
                    .element("tbody", body),
                ]),
            ]),
        ])
    }

    // MARK: The picture of where the focus token looks

    /// Lines from the focus token to every key, line weight by α, with a text alternative.
    func attentionPicture(_ event: TraceEvent, _ i: Int) -> Node {
        let keys = event.columnLabels
        let weights = Array(event.values.row(i))
        let rowHeight = 26.0, top = 18.0
        let height = top * 2 + rowHeight * Double(max(keys.count - 1, 0))
        let focusY = height / 2
        var lines: [Node] = []
        var labels: [Node] = [
            .element("text", ["x": "96", "y": .string(svgNumber(focusY)), "class": "query", "text-anchor": "end", "dominant-baseline": "middle"], [.text(event.rowLabels[i])]),
        ]
        for (j, key) in keys.enumerated() {
            let y = top + rowHeight * Double(j)
            let w = weights[j]
            if w > 0 {
                lines.append(.element("line", ["x1": "104", "y1": .string(svgNumber(focusY)), "x2": "296", "y2": .string(svgNumber(y)),
                                               "stroke-width": .string(NumberFormat.fixed(0.75 + 9 * w, decimals: 2)),
                                               "stroke-opacity": .string(NumberFormat.fixed(0.2 + 0.8 * w, decimals: 2))]))
            }
            labels.append(.element("text", ["x": "304", "y": .string(svgNumber(y)), "dominant-baseline": "middle"], [.text(key)]))
            labels.append(.element("text", ["x": "470", "y": .string(svgNumber(y)), "class": "weight", "text-anchor": "end", "dominant-baseline": "middle"], [.text(worked.number(w))]))
        }
        let head = event.head.map { spec.heads > 1 ? " in head \($0)" : "" } ?? ""
        let description = "Where \(event.rowLabels[i]) looks\(head): " + zip(keys, weights).map { "\($0) \(worked.number($1))" }.joined(separator: ", ")
        let titleID = "\(id)-look" + (event.head.map { "-h\($0)" } ?? "")
        return .element("figure", ["class": "looks"], [
            .element("svg", ["viewBox": .string("0 0 480 \(svgNumber(height))"), "width": "480", "role": "img", "aria-labelledby": .string(titleID)], [
                .element("title", ["id": .string(titleID)], [.text(description)]),
                .element("g", ["class": "links"], lines),
                .element("g", ["class": "labels"], labels),
            ]),
            .element("figcaption", [.text(description + ". Thicker lines carry more weight.")]),
        ])
    }
}

/// A fragment id from a name: ASCII letters and digits kept, others spelled out.
func slug(_ name: String) -> String {
    let spelled = ["ω": "omega", "α": "alpha"]
    return name.map { c -> String in
        if let s = spelled[String(c)] { return s }
        return c.isASCII && (c.isLetter || c.isNumber) ? String(c).lowercased() : "-"
    }.joined()
}
