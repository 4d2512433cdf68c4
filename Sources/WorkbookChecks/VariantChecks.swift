import AttentionEngine
import Foundation

/// Exercises 15 and 16: one decode step with a KV cache (lesson 13), one tile of the online
/// softmax (lesson 14).
/// Every expected number comes from the engine's tiled and decode traces.
enum VariantChecks {
    // MARK: 16 · the online softmax

    /// lessons/14-online-softmax.md, "the cat sat on my mat" in tiles of 2 × 2 (Q = K = V = X).
    static let mat = Case("“the cat sat on my mat”, tiles of 2 × 2 (lesson 14)", AttentionSpec(
        tokens: ["the", "cat", "sat", "on", "my", "mat"],
        X: Matrix([[1, 0], [0, 1], [2, 1], [1, 2], [0, 0], [1, 1]]),
        tiles: .init(rows: 2, columns: 2)))

    /// `c` computed in tiles of `rows` × `columns`, with `mask`.
    static func tiled(_ c: Case, rows: Int, columns: Int, mask: AttentionSpec.Mask? = nil, note: String) -> Case {
        var spec = c.spec
        spec.tiles = .init(rows: rows, columns: columns)
        if let mask { spec.mask = mask }
        return Case(c.title.replacingOccurrences(of: " (seed", with: ", tiles of \(rows) × \(columns)\(note) (seed"), spec)
    }

    static func onlineSoftmaxStep(_ impl: Implementations) -> Outcome {
        let cases = [mat,
                     tiled(Cases.random(seed: 1601, tokens: 7, dModel: 3, dK: 2, dV: 3, mask: .causal), rows: 3, columns: 2, note: ""),
                     tiled(Cases.large(seed: 1602, tokens: 6), rows: 2, columns: 3, note: ""),
                     // Row 5's first tile (keys 2–3) is all outside its window of 2: m stays −∞.
                     tiled(Cases.random(seed: 1603, tokens: 6, dModel: 3, dK: 2, dV: 2), rows: 3, columns: 2, mask: .window(2),
                           note: ", window of 2, whose first tile is all masked")]
        let trials = cases.flatMap { c -> [Trial] in
            let online = c.event("online"), o = c.event("o")
            let V = o.operands[0].matrix
            return (0..<online.values.rows).map { r in
                Trial("\(c.title), the row of “\(c.queryTokens.last!)”, \(online.rowLabels[r])") { impl in
                    guard case .online(let step, _, _) = online.explain(row: r, column: 0) else { return nil }
                    let oOld = r == 0 ? [Double](repeating: 0, count: V.columns) : Array(o.values.row(r - 1))
                    let values = step.keys.map { Array(V.row($0)) }
                    let got = impl.onlineSoftmaxStep(step.mOld, step.ℓOld, oOld, step.scores, values)
                    let expected = Expected.list([
                        .init(name: "(m, ℓ)", values: [[step.mNew, step.ℓNew]], rowLabels: [online.rowLabels[r]], columnLabels: ["m", "ℓ"]),
                        .init(name: "o", values: [Array(o.values.row(r))], rowLabels: [online.rowLabels[r]], columnLabels: o.columnLabels),
                    ], rowsAre: "key tile", columnsAre: "number")
                    let answer = { (s: (m: Double, l: Double, o: [Double])) in [[[s.m, s.l]], [s.o]] }
                    let (m, l, s) = (step.mOld, step.ℓOld, step.scores)
                    let mistakes = [
                        Mistake(.returnedInput, "you returned m, ℓ and o as they came in: every tile updates them — m to the larger of "
                            + "m and the tile's maximum, ℓ and o rescaled and then increased (lesson 14-online-softmax).",
                                output: answer((m, l, oOld))),
                        Mistake(.onlineNoRescale, "you did not rescale: ℓ and o still hold sums measured against the old maximum. "
                            + "Multiply them by exp(m − m_new) before adding the tile's terms (lesson 14-online-softmax, “The fix”).",
                                output: answer(update(m, l, oOld, s, values, rescale: { _, _ in 1 }))),
                        Mistake(.onlineRescaleInverted, "your rescale is upside down: exp(m_new − m) instead of exp(m − m_new). "
                            + "The new maximum is at least the old one, so the factor must be at most 1.",
                                output: answer(update(m, l, oOld, s, values, rescale: { old, new in exp(new - old) }))),
                        Mistake(.onlineTileMaxOnly, "your m is the maximum of this tile only: the running maximum is the larger of the old m and the tile's maximum, m_new = max(m, max_j s_j).",
                                output: answer(update(m, l, oOld, s, values, tileMaxOnly: true))),
                    ]
                    return Judge.judge(answer(got), expected, mistakes: mistakes)
                        .map { (["one tile of scores \(list(s)) with m = \(Judge.number(m)), ℓ = \(Judge.number(l)):"] + $0.problem, $0.diagnosis) }
                }
            }
        }
        return Trial.outcome(trials, impl)
    }

    /// The update with a changed rescale or maximum, for the mistakes' outputs.
    static func update(_ m: Double, _ l: Double, _ o: [Double], _ s: [Double], _ values: [[Double]],
                       rescale: (Double, Double) -> Double = { old, new in exp(old - new) }, tileMaxOnly: Bool = false) -> (m: Double, l: Double, o: [Double]) {
        let top = s.max() ?? -.infinity
        let mNew = tileMaxOnly ? top : max(m, top)
        if mNew == -.infinity { return (m, l, o) }
        let r = m == -.infinity ? 0 : rescale(m, mNew)
        let p = s.map { exp($0 - mNew) }
        var out = o.map { $0 * r }
        for (j, v) in values.enumerated() { for c in v.indices { out[c] += p[j] * v[c] } }
        return (mNew, l * r + p.reduce(0, +), out)
    }

    static func list(_ v: [Double]) -> String { "[" + v.map { Judge.number($0) }.joined(separator: ", ") + "]" }

    // MARK: 15 · a decode step

    /// lessons/13-kv-cache.md, "we read old maps", a prompt of two.
    static let maps = Case("“we read old maps”, a prompt of 2 (lesson 13)", AttentionSpec(
        tokens: ["we", "read", "old", "maps"],
        X: Matrix([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]]),
        projection: .init(W_Q: Matrix([[1, 0], [0, 1], [1, 1], [0, 0]]),
                          W_K: Matrix([[1, 0], [0, 1], [0, 2], [1, 0]]),
                          W_V: Matrix([[1, 0], [0, 2], [1, 1], [2, 0]])),
        mask: .causal, decode: .init(prefill: 2)))

    static func decoded(_ c: Case, prefill: Int) -> Case {
        var spec = c.spec
        spec.mask = .causal
        spec.decode = .init(prefill: prefill)
        return Case(c.title.replacingOccurrences(of: " (seed", with: ", decoded after a prompt of \(prefill) (seed"), spec)
    }

    static func decodeStep(_ impl: Implementations) -> Outcome {
        let cases = [maps,
                     decoded(Cases.random(seed: 1501, tokens: 4, dModel: 3, dK: 3, dV: 2), prefill: 0),
                     decoded(Cases.random(seed: 1502, tokens: 5, dModel: 4, dK: 2, dV: 3), prefill: 2),
                     decoded(Cases.large(seed: 1503, tokens: 4), prefill: 1)]
        let trials = cases.flatMap { c -> [Trial] in
            c.trace.events.filter { $0.name == "z_t" && $0.head == 0 }.map { z in
                let t = z.decodeToken!
                let ω = c.trace.events.first { $0.name == "ω_t" && $0.head == 0 && $0.decodeToken == t }!
                let (q, K, V) = (Array(ω.operands[0].matrix.row(0)), ω.operands[1], z.operands[1])
                return Trial("\(c.title), the step of “\(c.queryTokens[t])”") { impl in
                    let (keys, values) = (Array(K.matrix.grid.prefix(t)), Array(V.matrix.grid.prefix(t)))
                    let (key, value) = (Array(K.matrix.row(t)), Array(V.matrix.row(t)))
                    let got = impl.decodeStep(q, key, value, keys, values)
                    let expected = Expected.list([
                        .init(name: "K_cache", values: K.matrix.grid, rowLabels: K.rowLabels, columnLabels: K.columnLabels),
                        .init(name: "V_cache", values: V.matrix.grid, rowLabels: V.rowLabels, columnLabels: V.columnLabels),
                        .init(name: "z", values: [Array(z.values.row(0))], rowLabels: z.rowLabels, columnLabels: z.columnLabels),
                    ], rowsAre: "cached token", columnsAre: "column")
                    let attend = { (K: [[Double]], V: [[Double]], root: Double) -> [Double] in
                        let s = K.map { k in zip(q, k).reduce(0) { $0 + $1.0 * $1.1 } / root }
                        let a = Softmax.rows(of: Matrix([s]))
                        return (a * Matrix(V)).grid[0]
                    }
                    var mistakes = [
                        Mistake(.noScaling, "you forgot √d_k: divide each score q·k_j by √d_k = √\(q.count) before the softmax (lesson 04-why-scale).",
                                output: [K.matrix.grid, V.matrix.grid, [attend(K.matrix.grid, V.matrix.grid, 1)]]),
                        Mistake(.returnedInput, "you returned the cache as it came in: append the new key and value first, "
                            + "so that the cache has one more row, and the new token attends to itself too.") { answer in
                            answer.count == 3 && answer[0] == keys && answer[1] == values
                        },
                    ]
                    if t > 0 {
                        mistakes.append(Mistake(.attendedOldCache, "your z attends to the old cache only: "
                            + "append the new key and value BEFORE computing the scores — a token attends to itself too, "
                            + "exactly as row t of a causal mask keeps column t (lesson 13-kv-cache).",
                                                output: [K.matrix.grid, V.matrix.grid, [attend(keys, values, Double(q.count).squareRoot())]]))
                    }
                    return Judge.judge([got.keys, got.values, [got.z]], expected, mistakes: mistakes)
                        .map { (["the decode step of “\(c.queryTokens[t])” with \(t) cached row\(t == 1 ? "" : "s"):"] + $0.problem, $0.diagnosis) }
                }
            }
        }
        return Trial.outcome(trials, impl)
    }
}
