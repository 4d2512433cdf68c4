/// Attention at inference time with a KV cache. A model generating text sees one new token
/// per step: its query is one row, and the keys and values of the tokens before it are kept
/// (cached) instead of recomputed. `decode: {prefill: p}` computes the first p tokens (the
/// prompt) in one pass, then each later token t as a decode step:
///
///     cache ← k_t, v_t                 K_cache, V_cache: (t+1, d_k), (t+1, d_v)
///     ω_t = q_t·K_cacheᵀ               (1, d_k)·(d_k, t+1) → (1, t+1)
///     α_t = softmax(ω_t / √d_k)        (1, t+1)
///     z_t = α_t·V_cache                (1, t+1)·(t+1, d_v) → (1, d_v)
///
/// With a sliding window of w the cache keeps the last w rows only. Row t of Z is z_t, and
/// it equals row t of the full causal pass (checked to 1e-12 on every run).
extension Attention {
    static func decoded(_ i: Int, _ q: Operand, _ k: Operand, _ v: Operand, prefill p: Int, _ spec: AttentionSpec,
                        recordingIn events: inout [TraceEvent]) throws(SpecError) -> TraceEvent {
        let n = q.matrix.rows
        var rows: [Matrix] = [], sources: [String] = []
        // Prefill: tokens 0..<p at once, the plain pass on the first p rows   (p, d_k)·(d_k, p) → (p, p)
        if p > 0 {
            let prefill = try plain(i, q.rows(0..<p), k.rows(0..<p), v.rows(0..<p), spec, name: "Z_prefill", recordingIn: &events)
            rows.append(prefill.values)
            sources += Array(repeating: prefill.name, count: p)
        }
        // Decode: token t's one-row query against the cache of the keys and values so far
        for t in p..<n {
            let cache = spec.mask!.cached(for: t)                        // 0...t, or the last w
            var step: [TraceEvent] = []
            record(.cacheAppend(i, t, k, v, cacheRows: cache.count), in: &step)
            let ω = record(.stepScores(i, q.rows(t..<(t + 1)), k.rows(cache).renamed("K_cache")), in: &step)
            let α = try record(.stepWeights(i, ω, dK: spec.scale ? spec.dK : nil), in: &step, overflow: .scores(head: i))
            let z = record(.stepContext(i, α, v.rows(cache).renamed("V_cache")), in: &step)
            events += step.map { var e = $0; e.decodeToken = t; return e }
            rows.append(z.values)
            sources.append(z.name)
        }
        // Z = [Z_prefill; z_p; …; z_{n−1}]: the full causal pass's Z, row by row
        let Z = Matrix.stackingRows(rows)
        var unrecorded: [TraceEvent] = []
        let full = try plain(i, q, k, v, spec, recordingIn: &unrecorded).values
        let gap = Z.largestDifference(from: full)
        precondition(gap <= 1e-12, "decode steps differ from the full causal pass by \(gap) in head \(i)")
        return record(.stacked(i, Z, q.rowLabels, v.columnLabels, sources: sources,
                               formula: "Z = [Z_prefill; z_t of each decode step], row by row the full causal pass’s Z (largest difference \(shortScientific(gap)))"),
                      in: &events)
    }
}

extension AttentionSpec.Mask {
    /// The keys a decode step for token t holds in its cache: all of 0...t, or with a window
    /// of w the last w of them.
    func cached(for t: Int) -> Range<Int> {
        if case .window(let w) = self { return max(0, t - w + 1)..<(t + 1) }
        return 0..<(t + 1)
    }
}

extension TraceEvent {
    /// The cache gains token t's key and value rows: [k_t | v_t].
    static func cacheAppend(_ head: Int, _ t: Int, _ k: Operand, _ v: Operand, cacheRows: Int) -> TraceEvent {
        let row = Matrix.concatenatingColumns([k.matrix.rows([t]), v.matrix.rows([t])])
        let dK = k.matrix.columns
        return TraceEvent(
            stage: .decoding, head: head, name: "cache",
            formula: "cache ← [k | v] of \(k.rowLabels[t]): K_cache and V_cache now hold \(cacheRows) row\(cacheRows == 1 ? "" : "s") "
                + "each, \(cacheRows)·(d_k + d_v) = \(cacheRows * (dK + v.matrix.columns)) numbers in this head",
            operands: [], rowLabels: [k.rowLabels[t]],
            columnLabels: k.columnLabels.map { "k" + $0 } + v.columnLabels.map { "v" + $0 },
            values: row, detail: .cacheRow(keyName: k.name, valueName: v.name, dK: dK))
    }

    /// ω_t = q_t·K_cacheᵀ: one row of scores.
    static func stepScores(_ head: Int, _ q: Operand, _ cache: Operand) -> TraceEvent {
        TraceEvent(stage: .decoding, head: head, name: "ω_t", formula: "ω_t = \(q.name)[\(q.rowLabels[0])]·K_cacheᵀ",
                   operands: [q, cache], rowLabels: q.rowLabels, columnLabels: cache.rowLabels,
                   values: q.matrix.timesTranspose(of: cache.matrix), detail: .product(rightTransposed: true, bias: nil))
    }

    /// α_t = softmax(ω_t / √d_k) (or of ω_t unscaled).
    static func stepWeights(_ head: Int, _ scores: TraceEvent, dK: Int?) -> TraceEvent {
        var scaled = scores.asOperand
        if let dK {
            let root = Double(dK).squareRoot()
            scaled = Operand(name: "ω_t/√d_k", matrix: scores.values.map { $0 / root }, rowLabels: scores.rowLabels, columnLabels: scores.columnLabels)
        }
        return TraceEvent(stage: .decoding, head: head, name: "α_t", formula: "α_t = softmax(\(dK == nil ? "ω_t" : "ω_t / √d_k"))",
                          operands: [scaled], rowLabels: scores.rowLabels, columnLabels: scores.columnLabels,
                          values: Softmax.rows(of: scaled.matrix), detail: .softmax)
    }

    /// z_t = α_t·V_cache.
    static func stepContext(_ head: Int, _ alpha: TraceEvent, _ cache: Operand) -> TraceEvent {
        TraceEvent(stage: .decoding, head: head, name: "z_t", formula: "z_t = α_t·V_cache",
                   operands: [alpha.asOperand, cache], rowLabels: alpha.rowLabels, columnLabels: cache.columnLabels,
                   values: alpha.values * cache.matrix, detail: .product(rightTransposed: false, bias: nil))
    }

    /// Rows gathered from other events into one matrix (row i from `sources[i]`).
    static func stacked(_ head: Int, _ values: Matrix, _ rows: [String], _ columns: [String], sources: [String], formula: String) -> TraceEvent {
        TraceEvent(stage: .context, head: head, name: "Z", formula: formula, operands: [],
                   rowLabels: rows, columnLabels: columns, values: values, detail: .stacked(rowSources: sources))
    }
}

extension Operand {
    /// Rows `range`, with their labels.
    func rows(_ range: Range<Int>) -> Operand {
        Operand(name: name, matrix: matrix.rows(Array(range)), rowLabels: Array(rowLabels[range]), columnLabels: columnLabels)
    }

    func renamed(_ name: String) -> Operand {
        Operand(name: name, matrix: matrix, rowLabels: rowLabels, columnLabels: columnLabels)
    }
}

extension Matrix {
    /// [A; B; …]: the rows of each in turn, all with the same number of columns.
    static func stackingRows(_ parts: [Matrix]) -> Matrix {
        let columns = parts.first?.columns ?? 0
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: columns, storage: parts.flatMap(\.storage))
    }

    /// max |a_ij − b_ij| over the finite cells (both matrices the same shape).
    func largestDifference(from other: Matrix) -> Double {
        precondition(shape == other.shape)
        var gap = 0.0
        for (a, b) in zip(storage, other.storage) where a.isFinite && b.isFinite { gap = Swift.max(gap, abs(a - b)) }
        return gap
    }
}

/// `2.8e-17`, `0`: a small difference in a formula.
func shortScientific(_ x: Double) -> String {
    if x == 0 { return "0" }
    var exponent = 0
    var m = x
    while m >= 10 { m /= 10; exponent += 1 }
    while m < 1 { m *= 10; exponent -= 1 }
    let mantissa = (m * 10).rounded() / 10
    return "\(mantissa == mantissa.rounded() ? String(Int(mantissa)) : String(mantissa))e\(exponent)"
}
