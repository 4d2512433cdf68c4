import Foundation

/// Scaled dot-product attention, recorded step by step.
///
///     Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k) · V
///
/// Shapes: n query tokens, m key tokens (m = n for self-attention), h heads.
public enum Attention {
    /// Runs the forward pass of `spec` and returns its trace. Throws when the spec is
    /// not computable (shapes, non-finite values, masks that leave a row empty, limits).
    public static func run(_ spec: AttentionSpec) throws(SpecError) -> Trace {
        try spec.validate()
        let h = spec.heads
        let queryTokens = spec.tokens
        let keyTokens = spec.keyTokens
        var events: [TraceEvent] = []

        // Input: X (n × d_model), and for cross-attention the source X_src (m × d_model).
        var X = spec.X
        events.append(.given("X", X, queryTokens, dims(X.columns)))
        var source = spec.source?.X
        if let s = source { events.append(.given("X_src", s, keyTokens, dims(s.columns))) }

        // Positional: X ← X + PE (n × d_model), likewise the source.
        if spec.positional == .sinusoidal {
            let (encoded, event) = TraceEvent.positional("X_pos", X, queryTokens)
            X = encoded
            events.append(event)
            if let s = source {
                let (encodedSource, sourceEvent) = TraceEvent.positional("X_src_pos", s, keyTokens)
                source = encodedSource
                events.append(sourceEvent)
            }
        }
        let queryInput = X                                          // (n × d_model)
        let keyInput = source ?? X                                  // (m × d_model)

        // Projection, all heads at once, the three products in parallel: Q = X·W_Q + b_Q (n × h·d_k), K (m × h·d_k), V (m × h·d_v).
        let projection = spec.projection
        let QKV = concurrentMap(3) { i in
            let (input, W, b) = [(queryInput, projection?.W_Q, projection?.b_Q), (keyInput, projection?.W_K, projection?.b_K), (keyInput, projection?.W_V, projection?.b_V)][i]
            return W.map { input.projected($0, b) } ?? input
        }
        let (Q, K, V) = (QKV[0], QKV[1], QKV[2])
        let (dK, dV) = (spec.dK, spec.dV)
        for (name, m) in [("Q", Q), ("K", K), ("V", V)] where !m.allFinite {
            throw SpecError("\(name) = \(name == "Q" ? queryNameFor(spec) : keyNameFor(spec))·W_\(name) overflows: some of its values are beyond the largest Double (about 1.8e308); use smaller numbers in the inputs or W_\(name)", at: "X")
        }

        // Each head works on its own column block; heads run in parallel, one per core.
        let queryName = spec.positional == nil ? "X" : "X_pos"
        let inputName = source == nil ? queryName : (spec.positional == nil ? "X_src" : "X_src_pos")
        let perHead = concurrentMap(h) { head in
            let qCols = (head * dK)..<((head + 1) * dK), vCols = (head * dV)..<((head + 1) * dV)
            var out: [TraceEvent] = [], overflowed = false
            let Qh = Q.columns(qCols), Kh = K.columns(qCols), Vh = V.columns(vCols)
            if let p = projection {
                out.append(.projection("Q", head, queryName, queryInput, queryTokens, p.W_Q.columns(qCols), p.b_Q.map { Array($0[qCols]) }, Qh))
                out.append(.projection("K", head, inputName, keyInput, keyTokens, p.W_K.columns(qCols), p.b_K.map { Array($0[qCols]) }, Kh))
                out.append(.projection("V", head, inputName, keyInput, keyTokens, p.W_V.columns(vCols), p.b_V.map { Array($0[vCols]) }, Vh))
            }
            let q = projection == nil ? inputOperand(queryName, head, h, Qh, queryTokens) : Operand(name: "Q", matrix: Qh, rowLabels: queryTokens, columnLabels: dims(dK))
            let k = projection == nil ? inputOperand(inputName, head, h, Kh, keyTokens) : Operand(name: "K", matrix: Kh, rowLabels: keyTokens, columnLabels: dims(dK))
            let v = projection == nil ? inputOperand(inputName, head, h, Vh, keyTokens) : Operand(name: "V", matrix: Vh, rowLabels: keyTokens, columnLabels: dims(dV))

            // Similarity: ω = Q·Kᵀ, ω_ij = q_i·k_j            (n × d_k)·(d_k × m) → (n × m)
            var scores = TraceEvent.similarity(head, q, k)
            out.append(scores)
            // Scaling: ω / √d_k                                (n × m)
            if spec.scale {
                scores = .scaling(head, scores, dK: dK)
                out.append(scores)
            }
            // Masking: −∞ where query i may not look at key j  (n × m)
            if let mask = spec.mask {
                scores = .masking(head, scores, mask)
                out.append(scores)
            }
            // Normalization: α = softmax of each row            (n × m)
            let alpha = TraceEvent.normalization(head, scores)
            // A score that overflowed to ±∞ (or ∞ − ∞ = NaN) leaves its row without a softmax.
            if (0..<alpha.values.rows).contains(where: { alpha.values[$0, 0].isNaN }) { overflowed = true }
            out.append(alpha)
            // Context: Z = α·V, z_i = Σ_j α_ij v_j              (n × m)·(m × d_v) → (n × d_v)
            out.append(.context(head, alpha, v))
            return (out, overflowed)
        }
        if let head = perHead.firstIndex(where: \.1) {
            throw SpecError("the scores ω of head \(head) overflow: a dot product q·k is beyond the largest Double (about 1.8e308), so its softmax is undefined; use smaller numbers in the inputs or the weights", at: "X")
        }
        events.append(contentsOf: perHead.map(\.0).joined())

        // Concat: [Z₀ | Z₁ | … | Z_{h−1}]                         (n × h·d_v)
        let contexts = events.filter { $0.stage == .context }
        var joined = contexts[0]
        if h > 1 {
            joined = .concat(contexts)
            events.append(joined)
        }
        // Output: O = Z_concat·W_O + b_O                           (n × h·d_v)·(h·d_v × d_out) → (n × d_out)
        if let o = spec.output {
            let output = TraceEvent.output(joined, o)
            guard output.values.allFinite else {
                throw SpecError("O = Z_concat·W_O overflows: some of its values are beyond the largest Double (about 1.8e308); use smaller numbers in W_O", at: "W_O")
            }
            events.append(output)
        }
        return Trace(events: events)
    }

    /// Without projections a head reads its column block of X directly.
    private static func inputOperand(_ name: String, _ head: Int, _ heads: Int, _ m: Matrix, _ labels: [String]) -> Operand {
        let shown = heads == 1 ? name : "\(name)[\(head)]"
        return Operand(name: shown, matrix: m, rowLabels: labels, columnLabels: dims(m.columns))
    }
}

private func queryNameFor(_ spec: AttentionSpec) -> String { spec.positional == nil ? "X" : "X_pos" }
private func keyNameFor(_ spec: AttentionSpec) -> String {
    spec.source == nil ? queryNameFor(spec) : (spec.positional == nil ? "X_src" : "X_src_pos")
}

/// Column labels for feature dimensions: "0", "1", …
func dims(_ count: Int) -> [String] { (0..<count).map(String.init) }

extension Matrix {
    /// X·W + b: (n × d_in)·(d_in × d_out) → (n × d_out).
    func projected(_ W: Matrix, _ b: [Double]?) -> Matrix {
        let product = self * W
        return b.map { product.addingToEachRow($0) } ?? product
    }
}
