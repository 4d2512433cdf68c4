import AttentionEngine

/// Exercises 7, 8 and 11: whole attention, the causal mask, cross-attention.
enum AttentionChecks {
    // MARK: 7 · single-head self-attention

    static func attention(_ impl: Implementations) -> Outcome {
        let cases = [Cases.iAmGood, Cases.love,
                     Cases.random(seed: 701, tokens: 5, dModel: 4, dK: 3, dV: 2),
                     Cases.random(seed: 702, tokens: 3, dModel: 6, dK: 4, dV: 4),
                     Cases.large(seed: 703, tokens: 4)]
        return Trial.outcome(of: cases, impl) { c, impl in
            guard let p = c.spec.projection else { return nil }
            let got = impl.attention(c.spec.X.grid, p.W_Q.grid, p.W_K.grid, p.W_V.grid)
            return Judge.judge([got], expectedZ(c), mistakes: mistakes(c),
                               inputs: [c.spec.X.grid, p.W_Q.grid, p.W_K.grid, p.W_V.grid])
        }
    }

    static func expectedZ(_ c: Case) -> Expected {
        let Z = c.event("Z")
        return Expected("Z", Z.values.grid, rows: Z.rowLabels, columns: Z.columnLabels,
                        rowsAre: c.spec.source == nil ? "token" : "target token (row of X)", columnsAre: "column of V (d_v)")
    }

    /// Wrong ways to compute Z = softmax(Q·Kᵀ/√d_k)·V, from the case's own Q, K and V.
    static func mistakes(_ c: Case) -> [Mistake] {
        let (omega, V, dK) = (c.event("ω").values, c.values, c.spec.dK)
        let scaled = c.event("ω_scaled").values
        let root = Double(dK).squareRoot()
        var mistakes: [Mistake] = []
        if c.spec.dV != dK {
            // Before "divided by d_k": when √d_v = d_k (d_k = 2, d_v = 4) both give the same
            // numbers, and a code that divided by d_k already failed an earlier case with d_v = d_k.
            let dV = c.spec.dV, rootV = Double(dV).squareRoot()
            mistakes.append(Mistake(.scaledByDv, "you divided by √d_v = √\(dV) \(Judge.approximately(rootV)), "
                + "the size of the VALUE vectors (the columns of W_V); scale by √d_k = √\(dK) \(Judge.approximately(root)), "
                + "the size of the query and key vectors (the columns of W_Q): the scores are dot products of d_k terms (lesson "
                + "04-why-scale).",
                                    output: (Wrong.rowSoftmax(omega.map { $0 / rootV }) * V).grid))
        }
        mistakes += [
            Mistake(.noScaling, "you forgot √d_k: your Z is what attention gives when Q·Kᵀ is not divided by √d_k (here √\(dK) "
                + "≈ \(Judge.number(root))). Scale the scores before the softmax (lesson 04-why-scale).",
                    output: c.variant { $0.scale = false }.event("Z").values.grid),
            Mistake(.dividedByDk, "you forgot the square root: your scores were divided by d_k = \(dK) instead of √d_k ≈ \(Judge.number(root)) (lesson 04-why-scale).",
                    output: (Wrong.rowSoftmax(omega.map { $0 / Double(dK) }) * V).grid),
            Mistake(.softmaxOverColumns, "softmax over the wrong axis: your weights add up to 1 down each COLUMN of the scores, "
                + "but each ROW must (row i is where token i looks). Take the softmax of each row (lesson 05-where-to-look).",
                    output: (Wrong.columnSoftmax(scaled) * V).grid),
            Mistake(.returnedWeights, "you returned α, the attention weights: the result is α·V, each token's weighted sum of the value rows.",
                    output: Wrong.rowSoftmax(scaled).grid),
            Mistake(.valuesWithoutProjection, "you mixed the rows of the input X, not of V: the context vectors are weighted sums of the "
                + "values V = X·W_V (lesson 05-where-to-look, “What to take: V”).",
                    output: (c.event("α").values * (c.spec.source?.X ?? c.spec.X)).grid),
        ]
        if omega.rows == omega.columns {
            mistakes.append(Mistake(.transposedScores, "transposed K: your result is softmax(K·Qᵀ/√d_k)·V — the score matrix "
                + "transposed, so row i holds the scores of every query against key i. ω[i][j] = q_i·k_j: row i of Q with row j of K.",
                                    output: (Wrong.rowSoftmax(scaled.transposed) * V).grid))
        }
        if let (output, text) = SoftmaxChecks.globalMax(scaled, expected: c.event("α").values, labels: c.queryTokens) {
            mistakes.append(Mistake(.globalMax, text, output: (output * V).grid))
        }
        if let overflow = SoftmaxChecks.noMaxSubtraction(largest: c.largestScore) { mistakes.append(overflow) }
        return mistakes
    }

    // MARK: 8 · the causal mask

    static func causalWeights(_ impl: Implementations) -> Outcome {
        let cases = [Cases.robot,
                     Cases.random(seed: 801, tokens: 5, dModel: 3, dK: 4, dV: 2, mask: .causal),
                     Cases.random(seed: 802, tokens: 1, dModel: 3, dK: 2, dV: 2, mask: .causal),
                     Cases.large(seed: 803, tokens: 5, mask: .causal)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let s = c.softmaxInput, alpha = c.event("α")
            let got = impl.causalWeights(s.grid)
            return Judge.judge([got], Expected("α", alpha.values.grid, rows: alpha.rowLabels, columns: alpha.columnLabels,
                                               rowsAre: "query token", columnsAre: "key token"),
                               mistakes: maskMistakes(s, c, got: got), inputs: [s.grid], inputRows: s.grid)
        }
    }

    static func maskMistakes(_ s: Matrix, _ c: Case, got: [[Double]]) -> [Mistake] {
        let labels = c.queryTokens
        let ahead = labels.count > 1 ? "α[\(labels[0]), \(labels[1])] must be 0: “\(labels[0])” may not look ahead at “\(labels[1])”" : ""
        let afterText = { (row: Int, sum: Double) in
            "mask applied after the softmax: your hidden weights are 0, but the rows no longer add up to 1 (row “\(labels[row])” adds "
                + "up to \(Judge.number(sum))). Set the hidden scores to −∞ BEFORE the softmax; then the hidden weights are exactly 0 "
                + "and the visible ones renormalise by themselves (lesson 06-masks, “The trick: −∞ before the softmax”)."
        }
        var mistakes: [Mistake] = []
        let after = Wrong.replacing(Wrong.rowSoftmax(s), with: 0) { i, j in j > i }
        if let (row, sum) = Wrong.worstRowSum(after.grid) {
            mistakes.append(Mistake(.maskAfterSoftmax, afterText(row, sum), output: after.grid))
        }
        mistakes += [
            Mistake(.noMask, "no mask: each token still looks at the tokens after it. \(ahead). Put −∞ in every score with j > i before the softmax.",
                    output: Wrong.rowSoftmax(s).grid),
            Mistake(.maskWithZero, "the hidden scores were set to 0 instead of −∞: exp(0) = 1, so hidden tokens still get weight. "
                + "Use −∞ (-Double.infinity): exp(−∞) = 0 (lesson 06-masks).",
                    output: Wrong.rowSoftmax(Wrong.replacing(s, with: 0) { i, j in j > i }).grid),
            Mistake(.maskWrongSide, "the mask hides the wrong side: token i may look at tokens j ≤ i (itself and the ones before it) and must not see j > i. You hid j < i.",
                    output: Wrong.rowSoftmax(Wrong.replacing(s, with: -.infinity) { i, j in j < i }).grid),
            Mistake(.maskHidesDiagonal, "the mask hides the diagonal too: a token may look at itself (j ≤ i is visible); only j > i is hidden.",
                    output: Wrong.rowSoftmax(Wrong.replacing(s, with: -.infinity) { i, j in j >= i }).grid),
        ]
        let hidden = Wrong.replacing(s, with: -.infinity) { i, j in j > i }
        if let (output, text) = SoftmaxChecks.globalMax(hidden, expected: c.event("α").values, labels: labels) {
            mistakes.append(Mistake(.globalMax, text, output: output.grid))
        }
        // Zeroed after a softmax that is itself a little different: still "after".
        if let (row, sum) = Wrong.worstRowSum(got), sum.isFinite,
           got.enumerated().allSatisfy({ i, r in r.enumerated().allSatisfy { j, w in j <= i || w == 0 } }) {
            mistakes.append(Mistake(.maskAfterSoftmax, afterText(row, sum)) { _ in true })
        }
        if let overflow = SoftmaxChecks.noMaxSubtraction(largest: c.largestScore) { mistakes.append(overflow) }
        return mistakes
    }

    // MARK: 11 · cross-attention

    static func crossAttention(_ impl: Implementations) -> Outcome {
        let cases = [Cases.dog,
                     Cases.random(seed: 1101, tokens: 3, dModel: 4, dK: 3, dV: 2, source: 5),
                     Cases.random(seed: 1102, tokens: 4, dModel: 3, dK: 4, dV: 3, source: 2)]
        return Trial.outcome(of: cases, impl) { c, impl in
            guard let p = c.spec.projection, let source = c.spec.source else { return nil }
            let got = impl.crossAttention(c.spec.X.grid, source.X.grid, p.W_Q.grid, p.W_K.grid, p.W_V.grid)
            let selfAttention = c.variant { $0.source = nil }
            let fromSource = c.variant { $0.tokens = source.tokens; $0.X = source.X; $0.source = nil }
            let mistakes = [
                Mistake(.keysFromTarget, "your keys and values came from the target X: this is self-attention of the target. "
                    + "In cross-attention K = X_src·W_K and V = X_src·W_V come from the source (lesson 09-cross-attention).",
                        output: selfAttention.event("Z").values.grid),
                Mistake(.queriesFromSource, "your queries came from the source: this is self-attention of the source, "
                    + "with one row per source token. Q = X·W_Q comes from the target, so Z has one row per target token (lesson "
                    + "09-cross-attention).",
                        output: fromSource.event("Z").values.grid),
            ] + mistakes(c)
            return Judge.judge([got], expectedZ(c), mistakes: mistakes,
                               inputs: [c.spec.X.grid, source.X.grid, p.W_Q.grid, p.W_K.grid, p.W_V.grid])
        }
    }
}
