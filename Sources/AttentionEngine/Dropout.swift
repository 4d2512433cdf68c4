/// Dropout on the attention weights, as training applies it: each weight α_ij is dropped
/// (set to 0) with probability p, and every kept weight is divided by 1 − p so that the
/// expected value of each weight, and of each context vector, is unchanged:
///
///     α_dropout[i, j] = α[i, j] / (1 − p)   if kept,   0   if dropped
///
/// The mask is seeded and documented (docs/spec.md, `dropout`): one SplitMix64 stream
/// started at `seed` draws u = ⌊x / 2¹¹⌋ · 2⁻⁵³ for every cell, row by row, head after
/// head (head 0's n·m cells first); a cell is kept when u ≥ p. Inference never uses
/// dropout, so a spec without `dropout` is the forward pass a trained model runs.
extension AttentionSpec {
    public struct Dropout: Sendable, Equatable {
        /// The probability of dropping each weight, 0 ≤ p < 1.
        public var p: Double
        public var seed: UInt64
        public init(p: Double, seed: UInt64) { (self.p, self.seed) = (p, seed) }

        /// 1 where head `head`'s weight (i, j) is kept, 0 where it is dropped: rows × columns.
        public func keep(head: Int, rows: Int, columns: Int) -> Matrix {
            var generator = SplitMix64(seed: seed)
            for _ in 0..<(head * rows * columns) { _ = generator.next() }
            return .uninitialized(rows, columns) { out in
                for index in 0..<(rows * columns) { out[index] = generator.nextUnit() >= p ? 1 : 0 }
            }
        }
    }

    /// The checks `dropout` adds to `validate()`.
    func validateDropout() throws(SpecError) {
        guard let dropout else { return }
        guard dropout.p.isFinite, dropout.p >= 0, dropout.p < 1 else {
            throw SpecError("dropout.p must be at least 0 and less than 1 (the probability of dropping a weight), not \(dropout.p)", at: [.key("dropout"), .key("p")])
        }
        if backward != nil {
            throw SpecError("dropout and backward cannot be combined yet: trace the backward pass without dropout", at: "dropout")
        }
        // Tiles and a KV cache are inference: they never hold a whole α to drop weights from.
        if tiles != nil || decode != nil {
            throw SpecError("dropout is for training; \(tiles != nil ? "tiles" : "decode") is for inference: leave one of them out", at: "dropout")
        }
    }
}

extension TraceEvent {
    /// α_dropout = α ⊙ keep / (1 − p).
    static func dropout(_ head: Int, _ alpha: TraceEvent, _ dropout: AttentionSpec.Dropout) -> TraceEvent {
        let a = alpha.values
        let keep = dropout.keep(head: head, rows: a.rows, columns: a.columns)
        let values = Matrix.uninitialized(a.rows, a.columns) { out in
            for i in 0..<a.rows { for j in 0..<a.columns { out[i * a.columns + j] = keep[i, j] == 1 ? a[i, j] / (1 - dropout.p) : 0 } }
        }
        return TraceEvent(stage: .dropout, head: head, name: "α_dropout",
                          formula: "α_dropout = α where kept, divided by 1 − p; 0 where dropped,  p = \(dropout.p)",
                          operands: [alpha.asOperand, Operand(name: "keep", matrix: keep, rowLabels: alpha.rowLabels, columnLabels: alpha.columnLabels)],
                          rowLabels: alpha.rowLabels, columnLabels: alpha.columnLabels, values: values,
                          detail: .dropout(p: dropout.p))
    }
}
