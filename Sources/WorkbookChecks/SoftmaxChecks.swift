import Foundation
import AttentionEngine

/// Exercises 5 and 6: the softmax of each row and one context vector.
enum SoftmaxChecks {
    // MARK: 5 · the stable softmax

    static func softmaxRows(_ impl: Implementations) -> Outcome {
        let cases = [Cases.journey, Cases.iAmGood,
                     Cases.random(seed: 501, tokens: 3, dModel: 4, dK: 3, dV: 2, source: 5),
                     Cases.robot, Cases.around800, Cases.around1800, Cases.aroundMillion]
        return Trial.outcome(of: cases, impl) { c, impl in
            // The scores the engine's softmax saw: masked ones hold −∞.
            let alpha = c.event("α")
            let input = alpha.operands[0].matrix
            let got = impl.softmaxRows(input.grid)
            return Judge.judge([got], Expected("α", alpha.values.grid, rows: alpha.rowLabels, columns: alpha.columnLabels,
                                               rowsAre: "query token", columnsAre: "key token"),
                               mistakes: mistakes(input, c, got: got), inputs: [input.grid], inputRows: input.grid)
        }
    }

    /// What a wrong softmax looks like, for the scores `s` of case `c`.
    static func mistakes(_ s: Matrix, _ c: Case, got: [[Double]]) -> [Mistake] {
        let largest = s.storage.filter(\.isFinite).map(abs).max() ?? 0
        var mistakes = [
            Mistake(.softmaxOverColumns, "softmax over the wrong axis: each of your COLUMNS adds up to 1, but each ROW must. "
                + "Row i is where query i looks, a distribution over the keys: take the max, the exponentials and their sum along row i "
                + "(lesson 05-where-to-look).",
                    output: Wrong.columnSoftmax(s).grid),
            Mistake(.notNormalized, "you took the exponentials but did not divide by their sum, so the rows do not add up to 1. Divide each exp(s_j − max) by Σ_k exp(s_k − max) of its row.",
                    output: s.grid.map { row in let m = row.max() ?? 0; return row.map { exp($0 - m) } }),
            Mistake(.notNormalized, "you took the exponentials but did not divide by their sum, so the rows do not add up to 1. Divide each exp(s_j) by Σ_k exp(s_k) of its row.",
                    output: s.map { exp($0) }.grid),
        ]
        if let (output, text) = globalMax(s, expected: c.event("α").values, labels: c.event("α").rowLabels) {
            mistakes.append(Mistake(.globalMax, text, output: output.grid))
        }
        if let overflow = noMaxSubtraction(largest: largest) { mistakes.append(overflow) }
        if let (row, sum) = Wrong.worstRowSum(got), sum.isFinite {
            mistakes.append(Mistake(.notNormalized, "your row “\(c.event("α").rowLabels[row])” adds up to \(Judge.number(sum)), "
                + "not 1: the weights of each row must add up to 1, so divide each exponential by the sum of its row.") { _ in true })
        }
        return mistakes
    }

    /// The softmax of each row with ONE maximum, the whole matrix's, subtracted everywhere —
    /// and what to say about it — when that gives other numbers than `expected`: a row whose
    /// scores are all far below that maximum underflows to exp = 0 everywhere, and 0/0 is NaN.
    static func globalMax(_ s: Matrix, expected: Matrix, labels: [String]) -> (Matrix, String)? {
        let top = s.storage.filter(\.isFinite).max() ?? 0
        var out = s
        for i in 0..<s.rows {
            let e = (0..<s.columns).map { exp(s[i, $0] - top) }
            let sum = e.reduce(0, +)
            for j in 0..<s.columns { out[i, j] = e[j] / sum }
        }
        guard !Judge.same([out.grid], [expected.grid]) else { return nil }
        // The row it breaks: the first with NaN, else the one whose own maximum is lowest.
        let rowMax = (0..<s.rows).map { i in (0..<s.columns).map { s[i, $0] }.filter(\.isFinite).max() ?? top }
        let row = (0..<s.rows).first { i in (0..<s.columns).contains { out[i, $0].isNaN } }
            ?? rowMax.indices.min { rowMax[$0] < rowMax[$1] } ?? 0
        let label = row < labels.count ? "“\(labels[row])”" : "\(row)"
        let text = "one maximum for the whole matrix: you subtracted the largest score of all, \(Judge.number(top)), from every row. "
            + "Row \(label) only reaches \(Judge.number(rowMax[row])), "
            + ((0..<s.columns).contains { out[row, $0].isNaN }
                ? "so each of its exp(s − \(Judge.number(top))) underflows to 0, and 0/0 is NaN."
                : "so its exponentials underflow and the row comes out wrong.")
            + " Subtract each row's OWN maximum, m_i = max_j s[i][j] (lesson 05-where-to-look, “The stable softmax”)."
        return (out, text)
    }

    /// The overflow of a softmax without max subtraction, when the scores reach past
    /// log(Double.greatestFiniteMagnitude) ≈ 709.78: recognised by the NaN or ∞ it leaves.
    static func noMaxSubtraction(largest: Double) -> Mistake? {
        guard largest > 709.78 else { return nil }
        let text = "no max subtraction: the scores here reach \(Judge.number(largest)), and your result holds NaN or ∞. exp(710) "
            + "is already more than a Double can hold, so exp overflows to ∞ and ∞/∞ is NaN. Subtract each row's own maximum before "
            + "exp: the factor e^−max cancels, so nothing changes except that the largest exponential is exp(0) "
            + "= 1 (lesson 05-where-to-look, “The stable softmax”)."
        return Mistake(.noMaxSubtraction, text) { answer in answer.joined().joined().contains { !$0.isFinite } }
    }

    // MARK: 6 · one context vector

    static func contextVector(_ impl: Implementations) -> Outcome {
        let cases = [Cases.journey, Cases.iAmGood,
                     Cases.random(seed: 601, tokens: 4, dModel: 3, dK: 2, dV: 3),
                     Cases.random(seed: 602, tokens: 2, dModel: 3, dK: 2, dV: 2, source: 5)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (alpha, V, Z) = (c.event("α").values, c.values, c.event("Z"))
            let mean = (0..<V.columns).map { col in V.column(col).reduce(0, +) / Double(V.rows) }
            for i in 0..<alpha.rows {
                let weights = Array(alpha.row(i))
                let got = impl.contextVector(weights, V.grid)
                let mistakes = [
                    Mistake(.uniformWeights, "every value row got the same weight: you averaged the values. z = Σ_j α_j·v_j multiplies value row j by its own weight α_j, then adds.",
                            output: [mean]),
                ]
                if let verdict = Judge.judge([[got]], .vector("z", Array(Z.values.row(i)), row: c.queryTokens[i], columns: Z.columnLabels, columnsAre: "column of the values"),
                                             mistakes: mistakes, inputs: [[weights]]) {
                    return (["weights of \(c.queryTokens[i]) = \(Judge.vector(weights)):"] + verdict.problem, verdict.diagnosis)
                }
            }
            return nil
        }
    }
}
