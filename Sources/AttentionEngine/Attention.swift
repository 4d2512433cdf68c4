/// Scaled dot-product attention, recorded step by step.
///
///     Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k) · V
///
/// Shapes: n query tokens, m key tokens (m = n for self-attention), h heads.
public enum Attention {
    /// Runs the forward pass of `spec` and returns its trace. Throws when the spec is
    /// not computable (shapes, non-finite values, masks that leave a row empty, limits).
    /// `recording` says which token to work out in detail and which rows to keep.
    public static func run(_ spec: AttentionSpec, recording: Recording = Recording()) throws(SpecError) -> Trace {
        try spec.validate()
        try spec.validateDropout()
        // Input: X (n, d_model); with cross-attention also X_src (m, d_model), read by keys and values
        var inputs = [Input("X", spec.X, spec.tokens)] + (spec.source.map { [Input("X_src", $0.X, $0.tokens)] } ?? [])
        var events = inputs.map(\.given)
        // Positional: X_pos = X + PE                                    (n, d_model)
        if spec.positional == .sinusoidal { inputs = inputs.map { $0.positional(recordingIn: &events) } }
        let (x, xKV) = (inputs[0], inputs[inputs.count - 1])            // queries read x, keys and values xKV

        // Projection, all heads at once, the three products in parallel:
        // Q = X·W_Q + b_Q    (n, d_model)·(d_model, h·d_k) → (n, h·d_k);  K (m, g·d_k);  V (m, g·d_v), g = kv_heads
        let (Q, K, V) = try Projected.QKV(x, xKV, spec.projection)

        // Heads in parallel, one per core, each on its own column blocks of Q, K, V; the first
        // head (in order) whose scores overflow throws
        // (with --keep focus each head keeps the focus row only, as soon as it is done)
        let n = spec.tokens.count
        let heads = try concurrentMap(spec.heads) { i in
            Result { () throws(SpecError) in try head(i, Q, K, V, spec, recording) }
                .map { (events: recording.apply($0.events, tokens: n), Z: $0.Z.valuesOnly) }
        }.map { result throws(SpecError) in try result.get() }
        events += heads.flatMap(\.events)
        let Z = heads.map(\.Z)                                          // Z₀ … Z_{h−1}: (n, d_v) each
        // Concat: Z_concat = [Z₀ | Z₁ | … | Z_{h−1}]                   (n, h·d_v)
        let joined = Z.count == 1 ? Z[0] : record(.concat(Z), in: &events)
        // Output: O = Z_concat·W_O + b_O                (n, h·d_v)·(h·d_v, d_out) → (n, d_out)
        if let o = spec.output {
            try record(.output(joined, o), in: &events, overflow: .product("O = Z_concat·W_O", use: "W_O", at: "W_O"))
        }
        // Backward: every gradient of the loss, from dO = ∂L/∂O back to dX (Backward.swift)
        if let b = spec.backward { events += try b.gradients(spec, x, xKV, Q, K, V, heads.map(\.events), joined, recording) }
        return Trace(events: recording.apply(events, tokens: n))
    }

    /// Head `i`: its blocks of Q, K and V, then ω, α and Z. Returns the head's events and its Z.
    static func head(_ i: Int, _ Q: Projected, _ K: Projected, _ V: Projected, _ spec: AttentionSpec,
                     _ recording: Recording) throws(SpecError) -> (events: [TraceEvent], Z: TraceEvent) {
        var events: [TraceEvent] = []
        // Blocks: q (n, d_k), k (m, d_k), v (m, d_v), with Q = X·W_Q + b_Q, … recorded when projected;
        // with kv_heads = g < h, query head i reads key/value block i / (h / g)
        var q = Q.head(i, of: spec.heads, recordingIn: &events)
        let (g, sharing) = (spec.kvHead(of: i), spec.sharing(for: i))
        var k = K.head(g, of: spec.kvHeadCount, for: i, sharing: sharing, recordingIn: &events)
        let v = V.head(g, of: spec.kvHeadCount, for: i, sharing: sharing, recordingIn: &events)
        // Rotary positions: each pair of columns of q_p and k_p turned by p·θ   (n, d_k)
        if let rope = spec.rotary {
            q = record(.rotary(i, "Q", q, rope), in: &events).asOperand
            k = record(.rotary(i, "K", k, rope), in: &events).asOperand
        }
        // Z = softmax(Q·Kᵀ / √d_k)·V: at once, tile by tile (online softmax), or one decode step per token
        let Z: TraceEvent
        if let tiles = spec.tiles {
            Z = try tiled(i, q, k, v, tiles, spec, focus: recording.focus ?? spec.tokens.count - 1, recordingIn: &events)
        } else if let decode = spec.decode {
            Z = try decoded(i, q, k, v, prefill: decode.prefill, spec, recordingIn: &events)
        } else {
            Z = try plain(i, q, k, v, spec, recordingIn: &events)
        }
        return (events, Z)
    }

    /// ω, α and Z of head `i`, each stage whole.
    static func plain(_ i: Int, _ q: Operand, _ k: Operand, _ v: Operand, _ spec: AttentionSpec,
                      name: String = "Z", recordingIn events: inout [TraceEvent]) throws(SpecError) -> TraceEvent {
        // Similarity: ω = Q·Kᵀ, ω_ij = q_i·k_j          (n, d_k)·(d_k, m) → (n, m)
        var ω = record(.similarity(i, q, k), in: &events)
        // Scaling: ω / √d_k                              (n, m)
        if spec.scale { ω = record(.scaling(i, ω, dK: spec.dK), in: &events) }
        // Masking: −∞ where query i may not look at key j (n, m)
        if let mask = spec.mask { ω = record(.masking(i, ω, mask), in: &events) }
        // Normalization: α = softmax of each row         (n, m)
        var α = try record(.normalization(i, ω), in: &events, overflow: .scores(head: i))
        // Dropout (training only): α_dropout = α/(1 − p) where kept, 0 where dropped (Dropout.swift)
        if let dropout = spec.dropout { α = record(.dropout(i, α, dropout), in: &events) }
        // Context: Z = α·V, z_i = Σ_j α_ij v_j           (n, m)·(m, d_v) → (n, d_v)
        return record(.context(i, α, v, name: name), in: &events)
    }
}

/// A sentence entering attention, named as the lessons name it: X, X_src (the source of
/// cross-attention), X_pos, X_src_pos (after the positional encoding).
struct Input: Sendable {
    let name: String
    let X: Matrix
    let tokens: [String]
    init(_ name: String, _ X: Matrix, _ tokens: [String]) { (self.name, self.X, self.tokens) = (name, X, tokens) }

    var given: TraceEvent { .given(name, X, tokens, dims(X.columns)) }

    /// X + PE, recorded.
    func positional(recordingIn events: inout [TraceEvent]) -> Input {
        let (sum, event) = TraceEvent.positional(name + "_pos", X, tokens)
        events.append(event)
        return Input(name + "_pos", sum, tokens)
    }
}

/// Q, K or V for all heads at once: X·W + b, or X itself when the spec has no projections.
struct Projected: Sendable {
    let name: String
    let input: Input
    let W: Matrix?
    let b: [Double]?
    let values: Matrix

    /// Q from x, K and V from xKV, the three products in parallel; then checked for overflow.
    static func QKV(_ x: Input, _ xKV: Input, _ p: AttentionSpec.Projection?) throws(SpecError) -> (Projected, Projected, Projected) {
        let parts = [("Q", x, p?.W_Q, p?.b_Q), ("K", xKV, p?.W_K, p?.b_K), ("V", xKV, p?.W_V, p?.b_V)]
        // Big products spread their rows over the cores themselves (`rowParallelProduct`);
        // small ones run side by side.
        let big = x.X.rows >= 128
        let QKV = big ? parts.map { Projected($0.0, $0.1, $0.2, $0.3) }
                      : concurrentMap(3) { Projected(parts[$0].0, parts[$0].1, parts[$0].2, parts[$0].3) }
        for M in QKV where M.W != nil {
            try Overflow.product("\(M.name) = \(M.input.name)·W_\(M.name)", use: "the inputs or W_\(M.name)", at: "X").check(M.values)
        }
        return (QKV[0], QKV[1], QKV[2])
    }

    init(_ name: String, _ input: Input, _ W: Matrix?, _ b: [Double]?) {
        (self.name, self.input, self.W, self.b) = (name, input, W, b)
        values = W.map { input.X.projected($0, b) } ?? input.X
    }

    /// Block `i` of the columns (of `heads` equal blocks) as the operand head `owner`'s products
    /// read: Q, recording Q = X·W_Q + b_Q for the block; without projections the input itself,
    /// X (X[i] when there are several heads). `sharing` notes a K/V block several heads read.
    func head(_ i: Int, of heads: Int, for owner: Int? = nil, sharing: String? = nil,
              recordingIn events: inout [TraceEvent]) -> Operand {
        let width = values.columns / heads, columns = (i * width)..<((i + 1) * width)
        let block = values.columns(columns)
        guard let W else {
            return Operand(name: heads == 1 ? input.name : "\(input.name)[\(i)]", matrix: block,
                           rowLabels: input.tokens, columnLabels: dims(width))
        }
        events.append(.projection(name, owner ?? i, input.name, input.X, input.tokens, W.columns(columns), b.map { Array($0[columns]) }, block, sharing: sharing))
        return Operand(name: name, matrix: block, rowLabels: input.tokens, columnLabels: dims(width))
    }
}

/// The forward pass's overflow checks: a value beyond the largest Double (about 1.8e308) is
/// an input error, located at a key of the spec, never ∞ or NaN in a trace.
enum Overflow {
    /// A product such as `Q = X·W_Q`: some value is not finite.
    case product(String, use: String, at: String)
    /// Head `head`'s α: a score overflowed to ±∞ (or ∞ − ∞ = NaN), which leaves its row
    /// without a softmax, NaN from its first column on.
    case scores(head: Int)

    func check(_ m: Matrix) throws(SpecError) {
        switch self {
        case let .product(formula, use, key) where !m.allFinite:
            throw SpecError("\(formula) overflows: some of its values are beyond the largest Double (about 1.8e308); use smaller numbers in \(use)", at: key)
        case let .scores(head) where (0..<m.rows).contains(where: { m[$0, 0].isNaN }):
            throw SpecError("the scores ω of head \(head) overflow: a dot product q·k is beyond the largest Double (about 1.8e308), "
                + "so its softmax is undefined; use smaller numbers in the inputs or the weights", at: "X")
        default:
            break
        }
    }
}

/// Appends `event` to the trace's events and returns it, for the next stage to read.
@discardableResult
func record(_ event: TraceEvent, in events: inout [TraceEvent]) -> TraceEvent {
    events.append(event)
    return event
}

/// `record`, once `overflow` has checked the event's values.
@discardableResult
func record(_ event: TraceEvent, in events: inout [TraceEvent], overflow: Overflow) throws(SpecError) -> TraceEvent {
    try overflow.check(event.values)
    return record(event, in: &events)
}

/// Column labels for feature dimensions: "0", "1", …
func dims(_ count: Int) -> [String] { (0..<count).map(String.init) }

extension Matrix {
    /// X·W + b: (n × d_in)·(d_in × d_out) → (n × d_out).
    func projected(_ W: Matrix, _ b: [Double]?) -> Matrix {
        let product = rowParallelProduct(W)
        return b.map { product.addingToEachRow($0) } ?? product
    }
}
