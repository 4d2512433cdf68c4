import AttentionEngine

/// Exercises 12, 13 and 14: the softmax backward of one row, dV, and dQ with dK. Every
/// expected number is one of the engine's traced backward events (dω_scaled, dV, dQ, dK),
/// which Tests/Reference checks against PyTorch's autograd.
enum BackwardChecks {
    // MARK: Cases with a backward pass

    /// lessons/12-how-attention-learns.md, "The backward pass of L = −Z[am, 0]".
    static let step = Case("“I am good”, L = −Z[am, 0] (lesson 12)", AttentionSpec(
        tokens: ["I", "am", "good"],
        X: Matrix([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]]),
        projection: .init(W_Q: Matrix([[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 0]]),
                          W_K: Matrix([[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 0, 0]]),
                          W_V: Matrix([[0, 2, 0], [0, 3, 0], [1, 0, 3], [2, 1, 0]])),
        backward: .init(dO: Matrix([[0, 0, 0], [-1, 0, 0], [0, 0, 0]]))))

    /// lessons/12-how-attention-learns.md, "A padding key in the backward pass".
    static let padding = Case("“I am good” and a padding key PAD (lesson 12)", AttentionSpec(
        tokens: ["I", "am", "good", "PAD"],
        X: Matrix([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0], [1, 1, 1, 1]]),
        projection: .init(W_Q: Matrix([[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 0]]),
                          W_K: Matrix([[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 0, 0]]),
                          W_V: Matrix([[0, 2, 0], [0, 3, 0], [1, 0, 3], [2, 1, 0]])),
        mask: .padding([false, false, false, true]),
        backward: .init(dO: Matrix([[0, 0, 0], [-1, 0, 0], [0, 0, 0], [0, 0, 0]]))))

    /// lessons/12-how-attention-learns.md, "Practice: a causal head with dZ[b, 0] = 1".
    static let practice = Case("“a b c”, causal, dZ[b, 0] = 1 (lesson 12)", AttentionSpec(
        tokens: ["a", "b", "c"],
        X: Matrix([[1, 0, 1], [0, 1, 1], [1, 1, 0]]),
        projection: .init(W_Q: Matrix([[1, 0], [0, 1], [1, 1]]),
                          W_K: Matrix([[0, 1], [1, 0], [1, 1]]),
                          W_V: Matrix([[1, 0], [2, 1], [0, 1]])),
        mask: .causal,
        backward: .init(dO: Matrix([[0, 0], [1, 0], [0, 0]]))))

    /// `c` with a backward pass from a seeded dO, every number in [−1, 1] with two decimals.
    static func withGradient(_ c: Case, seed: UInt64) -> Case {
        var spec = c.spec
        spec.backward = .init(dO: SeededDistribution(seed: seed, low: -1, high: 1, decimals: 2)
            .matrix(rows: spec.tokens.count, columns: spec.heads * spec.dV))
        return Case(c.title.replacingOccurrences(of: " (seed", with: ", dO seeded with \(seed) (seed"), spec)
    }

    static let lesson = "lesson 12-how-attention-learns"

    // MARK: 12 · the softmax backward of one row

    static func softmaxBackwardRow(_ impl: Implementations) -> Outcome {
        let cases = [step, practice, padding,
                     withGradient(Cases.random(seed: 1201, tokens: 5, dModel: 4, dK: 3, dV: 2), seed: 1211),
                     withGradient(Cases.random(seed: 1202, tokens: 6, dModel: 3, dK: 2, dV: 3, mask: .causal), seed: 1212),
                     withGradient(Cases.random(seed: 1203, tokens: 3, dModel: 4, dK: 3, dV: 2, source: 5), seed: 1213),
                     withGradient(Cases.large(seed: 1204, tokens: 4), seed: 1214)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (alpha, dAlpha, dS) = (c.event("α").values, c.event("dα").values, c.event("dω_scaled"))
            for i in 0..<alpha.rows {
                let (a, d) = (Array(alpha.row(i)), Array(dAlpha.row(i)))
                let got = impl.softmaxBackwardRow(a, d)
                let intro = "the row of \(dS.rowLabels[i]): α = \(Judge.vector(a)), dα = \(Judge.vector(d)):"
                let expected = Expected.vector("dω_scaled", Array(dS.values.row(i)), row: dS.rowLabels[i],
                                               columns: dS.columnLabels, columnsAre: "key token")
                if let verdict = Judge.judge([[got]], expected, mistakes: rowMistakes(a, d), inputs: [[a], [d]]) {
                    return ([intro] + verdict.problem, verdict.diagnosis)
                }
                // Right within the tolerance; a key of weight exactly 0 must get exactly 0.
                if let j = a.indices.first(where: { a[$0] == 0 && got[$0] != 0 }) {
                    let cell = "dω_scaled[\(dS.rowLabels[i]), \(dS.columnLabels[j])] (number \(j))"
                    return ([intro, "\(cell): expected exactly 0, got \(Judge.number(got[j]))"],
                            Diagnosis(kind: .hiddenKeyGradient, text: "the key “\(dS.columnLabels[j])” has a weight of exactly 0 "
                                + "(\(c.spec.mask?.hides(query: i, key: j) == true ? "the mask hides it" : "its exp underflowed"))"
                                + ", so its gradient must be exactly 0, not merely small: every term is its own weight times the bracket, "
                                + "α_j·(dα_j − Σ_k α_k·dα_k), so multiply by α_j exactly as it is (\(lesson), "
                                + "“Masked keys receive no gradient”)."))
                }
            }
            return nil
        }
    }

    /// Wrong ways to compute α ⊙ (dα − Σ_k α_k·dα_k) for the row `a`, `d`.
    static func rowMistakes(_ a: [Double], _ d: [Double]) -> [Mistake] {
        var average = 0.0
        for (x, y) in zip(a, d) { average += x * y }
        let total = d.reduce(0, +), mean = total / Double(max(1, d.count))
        let section = "(\(lesson), “The softmax backward, one row”)"
        return [
            Mistake(.forgotRowSum, "you forgot the row's average: α_j·dα_j is only the diagonal of the softmax's Jacobian. "
                + "Raising one score lowers every other weight of the row too, so subtract the α-weighted average "
                + "Σ_k α_k·dα_k from each dα_j before multiplying by α_j \(section).",
                    output: [zip(a, d).map { $0 * $1 }]),
            Mistake(.missingWeightFactor, "you subtracted the average but did not multiply by the weight: the gradient of score j "
                + "is α_j·(dα_j − Σ_k α_k·dα_k). Without the factor α_j a key with almost no weight would get a large gradient, "
                + "and a hidden key one at all \(section).",
                    output: [d.map { $0 - average }]),
            Mistake(.rowSumUnweighted, "the sum you subtract is not weighted: it must be Σ_k α_k·dα_k, each dα_k times its own "
                + "weight, not Σ_k dα_k \(section).",
                    output: [zip(a, d).map { $0 * ($1 - total) }]),
            Mistake(.rowSumUnweighted, "you subtracted the plain mean of dα: the average must be weighted by the row's weights, "
                + "Σ_k α_k·dα_k (the weights add up to 1, so this is an average) \(section).",
                    output: [zip(a, d).map { $0 * ($1 - mean) }]),
            Mistake(.gradientPassedThrough, "you passed dα through unchanged: the softmax stands between the weights and the "
                + "scores, so the gradient must go through it, dω_scaled_j = α_j·(dα_j − Σ_k α_k·dα_k) \(section).",
                    output: [d]),
            Mistake(.gradientSignFlipped, "every sign is flipped: you computed α_j·(Σ_k α_k·dα_k − dα_j). It is dα_j minus "
                + "the average: a key whose dα is above the average gets a positive gradient \(section).",
                    output: [zip(a, d).map { $0 * (average - $1) }]),
        ]
    }

    // MARK: 13 · the value gradient

    static func valueGradient(_ impl: Implementations) -> Outcome {
        // The self-attention cases first: there α·dZ has dV's shape and is recognised by its numbers.
        let cases = [step, practice,
                     withGradient(Cases.random(seed: 1301, tokens: 5, dModel: 4, dK: 3, dV: 2), seed: 1311),
                     withGradient(Cases.random(seed: 1302, tokens: 3, dModel: 4, dK: 3, dV: 2, source: 5), seed: 1312),
                     withGradient(Cases.random(seed: 1303, tokens: 4, dModel: 3, dK: 2, dV: 3, source: 2), seed: 1313)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (alpha, dZ, dV) = (c.event("α").values, c.event("dZ").values, c.event("dV"))
            let got = impl.valueGradient(alpha.grid, dZ.grid)
            let (n, m) = (alpha.rows, alpha.columns)
            let section = "(\(lesson), “One gradient step, traced”: Values)"
            let notTransposed = "α was not transposed: α·dZ mixes the rows of dZ with the weights of one query, but value row j "
                + "is blamed by every query i in proportion to the weight α_ij it got, dV_j = Σ_i α_ij·dZ_i. That is αᵀ·dZ, "
                + "one row per key token \(section)."
            var mistakes: [Mistake] = []
            if n == m {
                mistakes.append(Mistake(.weightsNotTransposed, notTransposed, output: (alpha * dZ).grid))
            } else {
                mistakes.append(Mistake(.weightsNotTransposed, "your result has one row per query token (\(n)), but dV has one per "
                    + "key token (\(m)): " + notTransposed) { answer in
                    answer.count == 1 && answer[0].count == n && answer[0].allSatisfy { $0.count == dZ.columns }
                })
            }
            let columnSums = (0..<dZ.columns).map { col in dZ.column(col).reduce(0, +) }
            mistakes += [
                Mistake(.gradientTransposed, "you returned dZᵀ·α, the transpose of dV: one row per column of V instead of one per "
                    + "key token. dV has V's shape, m × d_v: dV = αᵀ·dZ \(section).",
                        output: (dZ.transposed * alpha).grid),
                Mistake(.valueGradientUnweighted, "every value row got the same gradient, the sum of the rows of dZ: you left out "
                    + "the weights. Value row j is blamed in proportion to the weight each query gave it, dV_j = Σ_i α_ij·dZ_i "
                    + section + ".",
                        output: (0..<m).map { _ in columnSums }),
            ]
            return Judge.judge([got], Expected("dV", dV.values.grid, rows: dV.rowLabels, columns: dV.columnLabels,
                                               rowsAre: "key token (row of V)", columnsAre: "column of V (d_v)"),
                               mistakes: mistakes, inputs: [alpha.grid, dZ.grid])
        }
    }

    // MARK: 14 · the query and key gradients

    static func queryKeyGradients(_ impl: Implementations) -> Outcome {
        // Square score matrices first: there the mistakes that need n = m are recognised by their numbers.
        let cases = [step, practice, padding,
                     withGradient(Cases.random(seed: 1401, tokens: 5, dModel: 4, dK: 4, dV: 2), seed: 1411),
                     withGradient(Cases.random(seed: 1402, tokens: 3, dModel: 4, dK: 3, dV: 2, source: 5), seed: 1412),
                     withGradient(Cases.random(seed: 1403, tokens: 4, dModel: 3, dK: 2, dV: 3, source: 2), seed: 1413)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (dS, dQ, dK) = (c.event("dω_scaled").values, c.event("dQ"), c.event("dK"))
            let (Q, K, d) = (c.queries, c.keys, c.spec.dK)
            let got = impl.queryKeyGradients(dS.grid, Q.grid, K.grid, d)
            let expected = Expected.list([
                .init(name: "dQ", values: dQ.values.grid, rowLabels: dQ.rowLabels, columnLabels: dQ.columnLabels, rowsAre: "query token (row of Q)"),
                .init(name: "dK", values: dK.values.grid, rowLabels: dK.rowLabels, columnLabels: dK.columnLabels, rowsAre: "key token (row of K)"),
            ], rowsAre: "token", columnsAre: "column of Q and K (d_k)")
            return Judge.judge([got.dQ, got.dK], expected, mistakes: gradientMistakes(dS, Q, K, d), inputs: [dS.grid, Q.grid, K.grid])
        }
    }

    /// Wrong ways to compute dQ = dω_scaled·K/√d_k and dK = dω_scaledᵀ·Q/√d_k.
    static func gradientMistakes(_ dS: Matrix, _ Q: Matrix, _ K: Matrix, _ d: Int) -> [Mistake] {
        let root = Double(d).squareRoot()
        let (P, R) = (dS * K, dS.transposed * Q)                // dQ and dK before the division
        let over = { (m: Matrix, x: Double) in m.map { $0 / x }.grid }
        let (rightQ, rightK) = (over(P, root), over(R, root))
        let scaling = "(\(lesson), “One gradient step, traced”: Scaling and dot products)"
        let forgot = "you forgot √d_k: the forward pass divided the scores by √d_k = √\(d) \(Judge.approximately(root)), "
            + "so their gradients reach Q and K divided by it too: dQ = dω_scaled·K / √d_k and dK = dω_scaledᵀ·Q / √d_k \(scaling)."
        var mistakes = [
            Mistake(.noScaling, forgot, output: [P.grid, R.grid]),
            Mistake(.noScaling, "dQ is right but " + forgot, output: [rightQ, R.grid]),
            Mistake(.noScaling, "dK is right but " + forgot, output: [P.grid, rightK]),
            Mistake(.multipliedByRoot, "you multiplied by √d_k = √\(d) \(Judge.approximately(root)) instead of dividing: the forward "
                + "pass divided the scores by √d_k, so the chain rule divides their gradients by it too \(scaling).",
                    output: [over(P, 1 / root), over(R, 1 / root)]),
            Mistake(.dividedByDk, "you forgot the square root: your gradients were divided by d_k = \(d) instead of √d_k "
                + "\(Judge.approximately(root)) \(scaling).",
                    output: [over(P, Double(d)), over(R, Double(d))]),
            Mistake(.gradientsSwapped, "your two results are in the wrong order: return (dQ, dK), the query gradient first "
                + "(one row per query token), then the key gradient (one row per key token).",
                    output: [rightK, rightQ]),
            Mistake(.returnedInput, "you returned the queries and keys as they came in: compute their gradients from dω_scaled, "
                + "dQ = dω_scaled·K / √d_k and dK = dω_scaledᵀ·Q / √d_k.",
                    output: [Q.grid, K.grid]),
        ]
        let notTransposed = "dK needs the transpose: score ω_ij = q_i·k_j reaches key j through every query i, dK_j = Σ_i "
            + "dω_scaled[i][j]·q_i / √d_k, which is dω_scaledᵀ·Q / √d_k (dω_scaled·Q adds up a row instead of a column) \(scaling)."
        if dS.rows == dS.columns {
            mistakes += [
                Mistake(.keyGradientNotTransposed, notTransposed, output: [rightQ, over(dS * Q, root)]),
                Mistake(.queriesKeysSwapped, "Q and K are swapped: the gradient of a query comes from the KEYS it was multiplied with, "
                    + "dQ = dω_scaled·K / √d_k, and the gradient of a key from the QUERIES, dK = dω_scaledᵀ·Q / √d_k \(scaling).",
                        output: [over(dS * Q, root), over(dS.transposed * K, root)]),
            ]
        } else {
            mistakes.append(Mistake(.keyGradientNotTransposed, "your dK has one row per query token (\(dS.rows)), but K has one per "
                + "key token (\(dS.columns)): " + notTransposed) { answer in
                answer.count == 2 && answer[1].count == dS.rows && answer[1].allSatisfy { $0.count == Q.columns }
            })
        }
        return mistakes
    }
}
