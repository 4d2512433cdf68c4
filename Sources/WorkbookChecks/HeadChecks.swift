import AttentionEngine

/// Exercises 9 and 10: splitting a matrix into heads and putting the heads side by side.
enum HeadChecks {
    // MARK: 9 · split

    static func splitHeads(_ impl: Implementations) -> Outcome {
        let cases = [Cases.twoHeads,
                     Cases.random(seed: 901, tokens: 3, dModel: 4, dK: 2, dV: 2, heads: 3),
                     Cases.random(seed: 902, tokens: 2, dModel: 3, dK: 3, dV: 3),
                     Cases.random(seed: 903, tokens: 4, dModel: 5, dK: 3, dV: 1, heads: 4)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let h = c.spec.heads
            let parts = (0..<h).map { c.event("Q", head: $0) }
            let Q = Matrix.concatenatingColumns(parts.map(\.values))    // (n × h·d_k)
            let got = impl.splitHeads(Q.grid, h)
            let expected = Expected.list(parts.enumerated().map { head, e in
                .init(name: "Q_\(head)", values: e.values.grid, rowLabels: e.rowLabels, columnLabels: e.columnLabels)
            }, rowsAre: "token", columnsAre: "column of a head (d_k = \(c.spec.dK))")
            var mistakes = [
                Mistake(.interleavedHeads, "your heads take columns \(h) apart (column c goes to head c mod \(h)); "
                    + "each head takes one block of neighbouring columns: head h gets columns h·d_k ..< (h+1)·d_k (lesson "
                    + "07-multi-head, “Splitting the columns”).",
                        output: (0..<h).map { head in Q.grid.map { row in row.enumerated().filter { $0.offset % h == head }.map(\.element) } }),
            ]
            if Q.rows % h == 0 {
                let n = Q.rows / h
                mistakes.append(Mistake(.splitRows, "you split the rows (the tokens) between the heads; every head keeps all \(Q.rows) tokens and takes a block of columns instead.",
                                        output: (0..<h).map { head in Array(Q.grid[(head * n)..<((head + 1) * n)]) }))
            }
            return Judge.judge(got, expected, mistakes: mistakes, inputs: [Q.grid])
                .map { (["splitting Q (\(Q.rows) × \(Q.columns): the queries of all heads side by side) into \(h) head\(h == 1 ? "" : "s") of d_k = \(c.spec.dK):"] + $0.problem, $0.diagnosis) }
        }
    }

    // MARK: 10 · concatenate

    static func concatenateHeads(_ impl: Implementations) -> Outcome {
        let cases = [Cases.twoHeads,
                     Cases.random(seed: 1001, tokens: 3, dModel: 4, dK: 2, dV: 2, heads: 3),
                     Cases.random(seed: 1002, tokens: 2, dModel: 3, dK: 2, dV: 3),
                     Cases.random(seed: 1003, tokens: 2, dModel: 4, dK: 1, dV: 3, heads: 4)]
        return Trial.outcome(of: cases, impl) { c, impl in
            let h = c.spec.heads
            let heads = (0..<h).map { c.event("Z", head: $0).values }
            let joined = h > 1 ? c.event("Z_concat") : c.event("Z")
            let got = impl.concatenateHeads(heads.map(\.grid))
            let columns = (0..<joined.values.columns).map(String.init)
            var mistakes = [
                Mistake(.stackedHeads, "you stacked the heads on top of each other (more rows); put them side by side: "
                    + "row i is row i of head 0, then row i of head 1, and so on, so that each token keeps one row.",
                        output: heads.flatMap(\.grid)),
                Mistake(.interleavedHeads, "your columns alternate between the heads; each head's columns stay together as one block: [Z_0 | Z_1 | …].",
                        output: (0..<joined.values.rows).map { i in (0..<joined.values.columns).map { col in heads[col % h][i, col / h] } }),
            ]
            if h > 1 {
                mistakes.append(Mistake(.reversedHeads, "the heads are in reverse order: head 0's columns come first.",
                                        output: Matrix.concatenatingColumns(heads.reversed()).grid))
            }
            return Judge.judge([got], Expected("Z_concat", joined.values.grid, rows: joined.rowLabels, columns: columns,
                                               rowsAre: "token", columnsAre: "column (h·d_v = \(h)·\(c.spec.dV))"),
                               mistakes: mistakes, inputs: heads.map(\.grid))
        }
    }
}
