import AttentionEngine

/// The worked arithmetic of the backward pass's cells, in the sentences of `Worked`.
extension Worked {
    /// One line for a gradient cell: `dQ[am, 0] = dω_scaled[am]·K[:, 0] / √2 = (…) / 1.4142 = 0.1234`.
    func gradientCell(_ name: String, _ g: GradientExplanation) -> String {
        switch g {
        case .products(let terms, let dK, let result):
            let factors = terms.map { "\($0.left)·\($0.right)" }.joined(separator: " + ")
            let sums = terms.count == 1 ? sum(terms[0]) : terms.map { "(\(sum($0)))" }.joined(separator: " + ")
            guard let dK else { return "\(name) = \(factors) = \(sums)" + (terms.count == 1 ? "" : " = \(number(result))") }
            let root = Double(dK).squareRoot()
            return "\(name) = \(factors) / √\(dK) = (\(sums)) / \(number(root)) = \(number(result))"
        case .softmax(let row, let j, let result):
            if row.masked[j] { return "\(name) = 0 (masked: α = 0 here, so no gradient flows back through the −∞)" }
            return "\(name) = α·(dα − Σ_k α_k·dα_k) = \(factor(row.alpha[j]))×(\(number(row.dAlpha[j])) − \(factor(row.rowSum))) = \(number(result))"
        case .sum(let terms, let result):
            var labels = terms.map(\.label), values = terms.map { factor($0.value) }
            if terms.count > maxTerms {
                let keep = max(1, maxTerms / 2)
                labels = Array(labels.prefix(keep)) + ["… (\(terms.count) terms) …"] + Array(labels.suffix(keep))
                values = Array(values.prefix(keep)) + ["…"] + Array(values.suffix(keep))
            }
            return "\(name) = \(labels.joined(separator: " + ")) = \(values.joined(separator: " + ")) = \(number(result))"
        case .copied(let from, let value):
            return "\(name) = \(from) = \(number(value))"
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
