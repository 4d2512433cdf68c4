/// The options of attention as today's language models run it, beside the 2017 mechanism:
/// a sliding-window mask, grouped-query attention (kv_heads), rotary positions (RoPE.swift),
/// a KV cache (Decode.swift) and tiles with the online softmax (Tiles.swift); and what a
/// trace keeps (`Recording`).

/// What a forward pass records beyond its numbers: the token whose arithmetic matters most
/// (tiles record their online softmax for it) and whether to keep every row of every event.
public struct Recording: Sendable, Hashable {
    public enum Keep: String, Sendable, Hashable, CaseIterable {
        /// Every row of every event (the default).
        case all
        /// Rows of the focus token only; other rows are summarised (shape, min, max).
        case focus
    }
    /// The query token (row) to record in detail; nil: the last token.
    public var focus: Int?
    public var keep: Keep
    public init(focus: Int? = nil, keep: Keep = .all) { self.focus = focus; self.keep = keep }
}

/// The rows an event kept, out of its full matrix, and a summary of every value.
public struct KeptRows: Sendable, Hashable {
    /// The kept rows' indices in the full matrix, in order.
    public let indices: [Int]
    /// The full matrix's shape.
    public let shape: Shape
    /// The least and greatest finite values of the full matrix (nil when there are none).
    public let minimum: Double?
    public let maximum: Double?
}

extension TraceEvent {
    /// This event with only row `row` of its values (and of its row-wise operands), the rest
    /// summarised. Right-hand operands of products (K, V, a weight block) stay whole, so that
    /// every kept cell can still explain itself.
    func keeping(row: Int) -> TraceEvent {
        guard kept == nil, row < values.rows else { return self }
        let finite = values.storage.lazy.filter(\.isFinite)
        let summary = KeptRows(indices: [row], shape: values.shape, minimum: finite.min(), maximum: finite.max())
        let rowWise: Set<Int>
        switch detail {
        case .product: rowWise = [0]
        case .none, .cacheRow, .stacked, .online, .runningOutput, .tiledContext: rowWise = []
        default: rowWise = Set(operands.indices)    // scaled, masked, softmax, positional, rotated, concatenated
        }
        let trimmed = operands.enumerated().map { index, operand in
            rowWise.contains(index) && operand.matrix.rows == values.rows
                ? Operand(name: operand.name, matrix: operand.matrix.rows([row]), rowLabels: [operand.rowLabels[row]], columnLabels: operand.columnLabels)
                : operand
        }
        let detail: Detail
        if case .stacked(let sources) = self.detail { detail = .stacked(rowSources: [sources[row]]) }
        else if case .tiledContext(let o, let sums) = self.detail { detail = .tiledContext(o: o.rows([row]), sums: [sums[row]]) }
        else { detail = self.detail }
        var event = TraceEvent(stage: stage, head: head, name: name, formula: formula, operands: trimmed,
                               rowLabels: [rowLabels[row]], columnLabels: columnLabels,
                               values: values.rows([row]), detail: detail)
        event.kept = summary
        return event
    }

    /// The event without its operands: its values for the next stage to read, without
    /// keeping alive what made them (a head's α, once its Z is done).
    var valuesOnly: TraceEvent {
        TraceEvent(stage: stage, head: head, name: name, formula: formula, operands: [], rowLabels: rowLabels,
                   columnLabels: columnLabels, values: values, detail: .none)
    }

    /// The row of the full matrix that local row `i` of `values` is.
    public func globalRow(_ i: Int) -> Int { kept?.indices[i] ?? i }

    /// The local row of `values` holding row `i` of the full matrix, if it was kept.
    public func localRow(_ i: Int) -> Int? {
        guard let kept else { return i < values.rows ? i : nil }
        return kept.indices.firstIndex(of: i)
    }
}

extension Recording {
    /// Applies `keep` to events whose rows are the n query tokens: with `.focus`, each keeps
    /// the focus row only; a decode step other than the focus token's is left out.
    func apply(_ events: [TraceEvent], tokens n: Int) -> [TraceEvent] {
        guard keep == .focus, let focus else { return events }
        return events.compactMap { event in
            switch event.stage {
            case .tiling: return event
            case .decoding: return event.rowLabels.count == 1 && event.decodeToken == focus ? event : nil
            default: return event.values.rows == n ? event.keeping(row: focus) : event
            }
        }
    }
}

extension AttentionSpec {
    /// Checks kv_heads' widths, the rotary encoding, the decode and tiles options.
    func validateVariants() throws(SpecError) {
        if let rope = rotary {
            if source != nil {
                throw SpecError("positional: rope needs self-attention: queries and keys are turned by their positions in one sentence", at: "positional")
            }
            if dK % 2 != 0 {
                throw SpecError("positional: rope turns pairs of columns, so d_k must be even, not \(dK)", at: "positional")
            }
            if !(rope.base > 1) || !rope.base.isFinite {
                throw SpecError("positional.base must be a finite number greater than 1, not \(rope.base)", at: [.key("positional"), .key("base")])
            }
        }
        if let decode {
            switch mask {
            case .causal, .window: break
            default:
                throw SpecError("decode needs mask: causal (or a window): a token being generated cannot see the tokens after it, and a cache only ever holds earlier tokens", at: "decode")
            }
            if decode.prefill < 0 || decode.prefill > tokens.count {
                throw SpecError("decode.prefill must be from 0 to the number of tokens (\(tokens.count)), not \(decode.prefill)", at: [.key("decode"), .key("prefill")])
            }
            if tiles != nil { throw SpecError("decode and tiles are separate options: a decode step is one row of scores, with nothing to tile", at: "tiles") }
        }
        if let tiles {
            if tiles.rows < 1 { throw SpecError("tiles.rows must be at least 1, not \(tiles.rows)", at: [.key("tiles"), .key("rows")]) }
            if tiles.columns < 1 { throw SpecError("tiles.columns must be at least 1, not \(tiles.columns)", at: [.key("tiles"), .key("columns")]) }
        }
    }

    /// The head's key/value block and, with grouped-query attention, a note on who shares it:
    /// `K/V head 0 of 2, shared by query heads 0–1`.
    func sharing(for h: Int) -> String? {
        guard kvHeadCount != heads else { return nil }
        let g = kvHead(of: h), shared = queryHeads(sharing: g)
        return "K/V head \(g) of \(kvHeadCount), shared by query heads \(shared.lowerBound)–\(shared.upperBound - 1)"
    }
}

extension AttentionSpec.Mask {
    /// The rule in words, for a masking event's formula.
    var rule: String {
        switch self {
        case .causal: return "−∞ where j > i (causal: a token may not look ahead)"
        case .padding: return "−∞ in the columns of padding keys"
        case .window(let w): return "−∞ where j > i or i − j ≥ \(w) (sliding window: a token sees itself and the \(w - 1) before it)"
        }
    }

    /// Why query `i` may not look at key `j`, or nil when it may.
    func reason(query i: Int, key j: Int) -> CellExplanation.MaskReason? {
        guard hides(query: i, key: j) else { return nil }
        switch self {
        case .causal: return .causal(query: i, key: j)
        case .padding: return .padding(key: j)
        case .window(let w): return j > i ? .causal(query: i, key: j) : .window(query: i, key: j, width: w)
        }
    }
}
