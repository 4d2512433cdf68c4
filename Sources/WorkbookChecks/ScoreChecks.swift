import AttentionEngine

/// Exercises 1–4: scores, the score matrix, projections and scaling.
enum ScoreChecks {
    // MARK: 1 · scores for one query

    static func scores(_ impl: Implementations) -> Outcome {
        let cases = [Cases.journey, Cases.iAmGood,
                     Cases.random(seed: 101, tokens: 5, dModel: 4, dK: 3, dV: 2),
                     Cases.random(seed: 102, tokens: 3, dModel: 3, dK: 4, dV: 2, source: 6)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (Q, K, omega) = (c.queries, c.keys, c.event("ω").values)
            for i in 0..<Q.rows {
                let query = Array(Q.row(i))
                let got = impl.scores(query, K.grid)
                let expected = Expected.vector("ω", Array(omega.row(i)), row: c.queryTokens[i], columns: c.keyTokens, columnsAre: "key")
                if let verdict = Judge.judge([[got]], expected, mistakes: [], inputs: [[query]]) {
                    return (["query \(c.queryTokens[i]) = \(Judge.vector(query)):"] + verdict.problem, verdict.diagnosis)
                }
            }
            return nil
        }
    }

    // MARK: 2 · the score matrix

    static func scoreMatrix(_ impl: Implementations) -> Outcome {
        let cases = [Cases.journey, Cases.iAmGood,
                     Cases.random(seed: 201, tokens: 4, dModel: 3, dK: 4, dV: 2),
                     Cases.random(seed: 202, tokens: 3, dModel: 4, dK: 2, dV: 2, source: 5)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (Q, K, omega) = (c.queries, c.keys, c.event("ω"))
            let got = impl.scoreMatrix(Q.grid, K.grid)
            var mistakes = [
                Mistake(.transposedScores, "your scores are transposed: your ω[i][j] is q_j·k_i, the matrix K·Qᵀ. "
                    + "Rows belong to queries: ω[i][j] = (row i of Q)·(row j of K), so the result has one row per query and one "
                    + "column per key.",
                        output: omega.values.transposed.grid),
            ]
            if K.rows >= Q.columns {
                // Σ_c Q[i][c]·K[c][j]: K read as if it were Kᵀ (its first d_k rows used as columns).
                mistakes.append(Mistake(.untransposedK, "K was not transposed: you multiplied Q by K as it is, "
                    + "pairing row i of Q with COLUMN j of K. ω = Q·Kᵀ pairs row i of Q with ROW j of K: "
                    + "ω[i][j] = Σ_c Q[i][c]·K[j][c].",
                                        output: (Q * K.rows(Array(0..<Q.columns))).grid))
            }
            return Judge.judge([got], Expected("ω", omega.values.grid, rows: omega.rowLabels, columns: omega.columnLabels,
                                               rowsAre: "query token", columnsAre: "key token"),
                               mistakes: mistakes, inputs: [Q.grid, K.grid])
        }
    }

    // MARK: 3 · a projection

    static func project(_ impl: Implementations) -> Outcome {
        let cases = [Cases.iAmGood,
                     Cases.random(seed: 301, tokens: 5, dModel: 4, dK: 3, dV: 2),
                     Cases.random(seed: 302, tokens: 2, dModel: 6, dK: 5, dV: 3),
                     Cases.random(seed: 303, tokens: 3, dModel: 3, dK: 3, dV: 3)]
        return Trial.outcome(of: cases, impl) { c, impl in
            guard let projection = c.spec.projection else { return nil }
            for (name, W) in [("Q", projection.W_Q), ("K", projection.W_K), ("V", projection.W_V)] {
                let result = c.event(name)
                let got = impl.project(c.spec.X.grid, W.grid)
                let transposed = "you used row c of W_\(name) where its column c belongs (X·W_\(name)ᵀ): "
                    + "\(name)[i][c] = Σ_r X[i][r]·W_\(name)[r][c] walks down column c of W_\(name), "
                    + "and the result has one column per column of W_\(name)."
                var mistakes = [
                    Mistake(.transposedWeights, transposed) { answer in
                        W.rows != W.columns && !answer[0].isEmpty && answer[0].allSatisfy { $0.count == W.rows }
                    },
                ]
                if W.rows == W.columns {
                    mistakes.append(Mistake(.transposedWeights, transposed, output: (c.spec.X * W.transposed).grid))
                }
                if let verdict = Judge.judge([got], Expected(name, result.values.grid, rows: result.rowLabels, columns: result.columnLabels,
                                                             rowsAre: "token (row of X)", columnsAre: "column of W_\(name)"),
                                             mistakes: mistakes, inputs: [c.spec.X.grid, W.grid]) {
                    return (["\(name) = X·W_\(name):"] + verdict.problem, verdict.diagnosis)
                }
            }
            return nil
        }
    }

    // MARK: 4 · scaling

    static func scaled(_ impl: Implementations) -> Outcome {
        let cases = [Cases.iAmGood,
                     Cases.random(seed: 401, tokens: 4, dModel: 3, dK: 4, dV: 2),
                     Cases.random(seed: 402, tokens: 3, dModel: 8, dK: 64, dV: 2)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let (omega, result) = (c.event("ω").values, c.event("ω_scaled"))
            let dK = c.spec.dK, root = Double(dK).squareRoot()
            let got = impl.scaled(omega.grid, dK)
            let mistakes = [
                Mistake(.noScaling, "these are the scores as they came in: divide each one by √d_k (here √\(dK) ≈ \(Judge.number(root))).",
                        output: omega.grid),
                Mistake(.dividedByDk, "you forgot the square root: you divided by d_k = \(dK), but the scores are divided by √d_k "
                    + "≈ \(Judge.number(root)). The spread of a dot product of d_k terms grows like √d_k, "
                    + "so that is what brings it back to about 1 (lesson 04-why-scale).",
                        output: omega.map { $0 / Double(dK) }.grid),
                Mistake(.multipliedByRoot, "you multiplied by √d_k; the scores are divided by it: ω / √d_k.",
                        output: omega.map { $0 * root }.grid),
            ]
            return Judge.judge([got], Expected("ω_scaled", result.values.grid, rows: result.rowLabels, columns: result.columnLabels,
                                               rowsAre: "query token", columnsAre: "key token"),
                               mistakes: mistakes, inputs: [omega.grid], inputRows: omega.grid)
        }
    }
}
