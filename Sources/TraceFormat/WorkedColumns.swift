import AttentionEngine

extension Worked {
    /// A projection cell in the column notation (q⁽ⁱ⁾ = U_q x⁽ⁱ⁾), with the weight first:
    /// `Qᵀ[0, am] = U_q[0, :]·Xᵀ[:, am] = 1×0 + 1×2 + 0×0 + 0×2 = 2`. The same numbers as
    /// the row notation's `Q[am, 0] = X[am]·W_Q[:, 0]`, each product's factors swapped.
    public func columnCell(_ event: TraceEvent, row i: Int, column j: Int) -> String? {
        guard event.stage == .projection, case .dotProduct(let p) = event.explain(row: i, column: j) else { return nil }
        var terms = zip(p.b, p.a).map { "\(factor($0))×\(factor($1))" }
        if terms.count > maxTerms {
            let keep = max(1, maxTerms / 2)
            terms = Array(terms.prefix(keep)) + ["… (\(p.a.count) terms) …"] + Array(terms.suffix(keep))
        }
        var text = terms.joined(separator: " + ")
        if let bias = p.bias { text += " + \(factor(bias))" }
        let (dimension, token) = (event.columnLabels[j], event.rowLabels[i])
        let input = event.operands[0].name
        return "\(event.name)ᵀ[\(dimension), \(token)] = U_\(event.name.lowercased())[\(dimension), :]·\(input)ᵀ[:, \(token)] = \(text) = \(number(p.result))"
    }
}
