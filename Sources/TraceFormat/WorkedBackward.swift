import AttentionEngine

/// The worked arithmetic of the backward pass's cells, in the sentences of `Worked`.
extension Worked {
    /// One line for a gradient cell: `dQ[am, 0] = dω_scaled[am]·K[:, 0] / √2 = (…) / 1.414 = 0.12`.
    func gradientCell(_ name: String, _ g: GradientExplanation, places: Int) -> WorkedLine {
        func line(_ steps: [String], _ result: Double, note: String? = nil) -> WorkedLine {
            WorkedLine(name: name, steps: steps, result: NumberFormat.fixed(result, decimals: places), note: note)
        }
        switch g {
        case .products(let terms, let dK, let result):
            let factors = terms.map { "\($0.left)·\($0.right)" }.joined(separator: " + ")
            let root = dK.map { Double($0).squareRoot() }
            return line(fitted(result, places: places) { n in
                let sums = terms.map { sum($0, n) }
                let values = sums.compactMap(\.value)
                var total: Double? = values.count == sums.count ? values.reduce(0, +) : nil
                let added = terms.count == 1 ? sums[0].text : sums.map { "(\($0.text))" }.joined(separator: " + ")
                guard let dK, let root else { return ([factors, added], total) }
                total = total.map { $0 / n.value(root) }
                return (["\(factors) / √\(dK)", "(\(added)) / \(n.text(root))"], total)
            }, result)
        case .softmax(let row, let j, let result):
            if row.masked[j] { return line([], 0, note: "(masked: α = 0 here, so no gradient flows back through the −∞)") }
            return line(["α·(dα − Σ_k α_k·dα_k)"] + fitted(result, places: places) { n in
                (["\(n.factor(row.alpha[j]))×(\(n.text(row.dAlpha[j])) − \(n.factor(row.rowSum)))"],
                 n.value(row.alpha[j]) * (n.value(row.dAlpha[j]) - n.value(row.rowSum)))
            }, result)
        case .sum(let terms, let result):
            var labels = terms.map(\.label)
            return line(fitted(result, places: places) { n in
                var values = terms.map { n.factor($0.value) }
                var total: Double? = terms.reduce(0) { $0 + n.value($1.value) }
                if terms.count > maxTerms {
                    let keep = max(1, maxTerms / 2)
                    labels = Array(terms.map(\.label).prefix(keep)) + ["… (\(terms.count) terms) …"] + Array(terms.map(\.label).suffix(keep))
                    values = Array(values.prefix(keep)) + ["…"] + Array(values.suffix(keep))
                    total = nil
                }
                return ([labels.joined(separator: " + "), values.joined(separator: " + ")], total)
            }, result)
        case .copied(let from, let value):
            return line([from], value)
        }
    }

    /// The softmax backward of row i of a dω_scaled (or, unscaled, dω) event, step by step.
    public func softmaxBackwardRow(_ event: TraceEvent, row i: Int, elide: (Int) -> [Int?]) -> [String] {
        guard case .gradient(.softmax(let row, _, _)) = event.explain(row: i, column: 0) else { return [] }
        let columns = elide(row.alpha.count)
        func list(_ values: [Double]) -> String {
            "[" + columns.map { $0.map { number(values[$0]) } ?? "…" }.joined(separator: ", ") + "]"
        }
        return [
            "α                   = \(list(row.alpha))",
            "dα                  = \(list(row.dAlpha))",
            "α·dα                = \(list(row.products))",
            "Σ α·dα              = \(number(row.rowSum))",
            "dα − Σ              = \(list(row.dAlpha.map { $0 - row.rowSum }))",
            "\(event.name) = α·(dα − Σ) = \(list(row.terms))" + (row.masked.contains(true) ? "   (0 where masked)" : ""),
        ]
    }

    /// Whether `event` is a gradient whose rows are the query tokens (the focus token's row).
    static func gradientHasQueryRows(_ event: TraceEvent) -> Bool {
        event.stage == .backward && ["dO", "dZ_concat", "dZ", "dα", "dω_scaled", "dω", "dQ", "dX"].contains(event.name)
    }
}
