import AttentionEngine

extension Worked {
    /// A projection cell in the column notation (q⁽ⁱ⁾ = U_q x⁽ⁱ⁾), with the weight first:
    /// `Qᵀ[0, am] = U_q[0, :]·Xᵀ[:, am] = 1×0 + 1×2 + 0×0 + 0×2 = 2`. The same numbers as
    /// the row notation's `Q[am, 0] = X[am]·W_Q[:, 0]`, each product's factors swapped; they
    /// re-add to the result as every worked line does (`fitted`).
    public func columnCell(_ event: TraceEvent, row i: Int, column j: Int) -> WorkedLine? {
        guard event.stage == .projection, case .dotProduct(let p) = event.explain(row: i, column: j) else { return nil }
        let swapped = DotProduct(left: p.right, right: p.left, termLabels: p.termLabels, a: p.b, b: p.a, bias: p.bias, result: p.result)
        let places = decimals(of: event.values)
        let (dimension, token) = (event.columnLabels[j], event.rowLabels[i])
        let input = event.operands[0].name
        let formula = "U_\(event.name.lowercased())[\(dimension), :]·\(input)ᵀ[:, \(token)]"
        let steps = fitted(p.result, places: places) { n in let s = sum(swapped, n); return ([s.text], s.value) }
        return WorkedLine(name: "\(event.name)ᵀ[\(dimension), \(token)]", steps: [formula] + steps,
                          result: NumberFormat.fixed(p.result, decimals: places))
    }
}
