import AttentionEngine

/// The worked arithmetic behind one cell, as plain text a student can check by hand:
/// `ω[am, good] = 0.55×0.43 + 0.87×0.15 + 0.66×0.89 = 0.9544`. The terminal output uses it,
/// and so can any renderer that wants the same sentences.
public struct Worked: Sendable {
    public var decimals: Int
    /// Dot products with more terms than this show the first and last few.
    public var maxTerms: Int

    public init(decimals: Int = 4, maxTerms: Int = 8) {
        self.decimals = decimals
        self.maxTerms = maxTerms
    }

    public func number(_ x: Double) -> String { NumberFormat.fixed(x, decimals: decimals) }

    /// A factor inside a product: negative numbers in parentheses.
    func factor(_ x: Double) -> String {
        let text = number(x)
        return text.hasPrefix("−") ? "(\(text))" : text
    }

    /// "a×b + c×d + … = r", eliding the middle of long sums.
    public func sum(_ p: DotProduct) -> String {
        var terms = zip(p.a, p.b).map { "\(factor($0))×\(factor($1))" }
        if terms.count > maxTerms {
            let keep = max(1, maxTerms / 2)
            terms = Array(terms.prefix(keep)) + ["…"] + Array(terms.suffix(keep))
            terms[keep] = "… (\(p.a.count) terms) …"
        }
        var text = terms.joined(separator: " + ")
        if let bias = p.bias { text += " + \(factor(bias))" }
        return text + " = " + number(p.result)
    }

    /// One line for cell (i, j) of `event`.
    public func cell(_ event: TraceEvent, row i: Int, column j: Int) -> String {
        let name = "\(event.name)[\(event.rowLabels[i]), \(event.columnLabels[j])]"
        switch event.explain(row: i, column: j) {
        case .given(let value):
            return "\(name) = \(number(value)) (given)"
        case .dotProduct(let p):
            return "\(name) = \(p.left)·\(p.right) = \(sum(p))"
        case .weightedSum(let p):
            return "\(name) = Σ_j α[\(event.rowLabels[i]), j]·V[j, \(event.columnLabels[j])] = \(sum(p))"
        case .positional(let x, let position, let column, let angle, let usesSine, let encoding, let result):
            let fn = usesSine ? "sin" : "cos"
            return "\(name) = \(number(x)) + PE[\(position), \(column)] = \(number(x)) + \(fn)(\(number(angle))) = \(number(x)) + \(factor(encoding)) = \(number(result))"
        case .scaled(let score, let dK, let divisor, let result):
            return "\(name) = \(number(score)) / √\(dK) = \(number(score)) / \(number(divisor)) = \(number(result))"
        case .masked(_, let reason):
            switch reason {
            case .causal: return "\(name) = −∞ (causal mask: \(event.columnLabels[j]) comes after \(event.rowLabels[i]))"
            case .padding: return "\(name) = −∞ (padding mask: \(event.columnLabels[j]) is padding)"
            }
        case .unmasked(let score):
            return "\(name) = \(number(score)) (kept)"
        case .softmax(let work, let column, let result):
            let e = work.exponentials[column]
            return "\(name) = exp(\(number(work.scores[column])) − \(number(work.maximum))) / Σ = \(number(e)) / \(number(work.sum)) = \(number(result))"
        case .dropout(let weight, let kept, let p, let result):
            let alpha = "α[\(event.rowLabels[i]), \(event.columnLabels[j])]"
            return kept ? "\(name) = \(alpha) / (1 − p) = \(number(weight)) / \(number(1 - p)) = \(number(result)) (kept)"
                        : "\(name) = 0 (dropped; \(alpha) was \(number(weight)))"
        case .copied(let head, let column, let value):
            return "\(name) = Z\(head)[\(event.rowLabels[i]), \(column)] = \(number(value))"
        case .gradient(let g):
            return gradientCell(name, g)
        }
    }

    /// The stable softmax of row i of an α event, step by step.
    public func softmaxRow(_ event: TraceEvent, row i: Int, elide: (Int) -> [Int?]) -> [String] {
        guard case .softmax(let work, _, _) = event.explain(row: i, column: 0) else { return [] }
        let columns = elide(work.scores.count)
        func list(_ values: [Double]) -> String {
            "[" + columns.map { $0.map { number(values[$0]) } ?? "…" }.joined(separator: ", ") + "]"
        }
        return [
            "scores s        = \(list(work.scores))",
            "max             = \(number(work.maximum))",
            "exp(s − max)    = \(list(work.exponentials))",
            "Σ exp(s − max)  = \(number(work.sum))",
            "α = exp / Σ     = \(list(work.weights))",
        ]
    }

    /// z_i as a weighted sum of value rows.
    public func contextRow(_ event: TraceEvent, row i: Int, elide: (Int) -> [Int?]) -> [String] {
        guard let parts = event.weightedRows(of: i) else { return [] }
        let valueName = event.operands[1].name
        let shown = elide(parts.count)
        let columns = elide(event.values.columns)
        func vector(_ v: [Double]) -> String {
            "[" + columns.map { $0.map { number(v[$0]) } ?? "…" }.joined(separator: ", ") + "]"
        }
        var lines = ["z[\(event.rowLabels[i])] = Σ_j α[\(event.rowLabels[i]), j] · \(valueName)[j]"]
        for index in shown {
            guard let j = index else { lines.append("      + …"); continue }
            let part = parts[j]
            lines.append("      \(j == 0 ? " " : "+") \(number(part.weight)) × \(valueName)[\(part.label)] \(vector(part.row))")
        }
        lines.append("      = \(vector(Array(event.values.row(i))))")
        return lines
    }
}
