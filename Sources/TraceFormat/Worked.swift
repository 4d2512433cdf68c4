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
            case .window(let query, let key, let width):
                return "\(name) = −∞ (sliding window: \(event.columnLabels[j]) is \(query - key) tokens back, outside the window of \(width))"
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
        case .rotated(let r):
            let source = event.operands[0].name, row = event.rowLabels[i]
            let (a, b) = ("\(source)[\(row), \(r.first)]", "\(source)[\(row), \(r.second)]")
            let how = r.isFirst
                ? "\(a)·cos(pθ) − \(b)·sin(pθ) = \(factor(r.a))×\(factor(r.cosine)) − \(factor(r.b))×\(factor(r.sine))"
                : "\(a)·sin(pθ) + \(b)·cos(pθ) = \(factor(r.a))×\(factor(r.sine)) + \(factor(r.b))×\(factor(r.cosine))"
            return "\(name) = \(how) = \(number(r.result)) (position p = \(r.position), pair \(r.pair), θ = \(number(r.theta)), pθ = \(number(r.angle)))"
        case .gathered(let source, let value):
            return "\(name) = \(source) = \(number(value))"
        case .online(let step, let quantity, let result):
            return "\(name) = " + online(step, quantity) + " = \(number(result))"
        case .divided(let numerator, let denominator, let result):
            return "\(name) = o / ℓ = \(number(numerator)) / \(number(denominator)) = \(number(result))"
        }
    }

    /// How one statistic of an online-softmax step is made.
    func online(_ step: OnlineStep, _ quantity: OnlineStep.Quantity) -> String {
        func list(_ values: [Double]) -> String {
            let shown = values.count > maxTerms ? Array(values.prefix(maxTerms / 2)).map(number) + ["…"] + Array(values.suffix(maxTerms / 2)).map(number)
                                                : values.map(number)
            return shown.joined(separator: ", ")
        }
        switch quantity {
        case .mOld: return "m after the previous tile" + (step.keys.lowerBound == 0 ? " (none yet: −∞)" : "")
        case .tileMax: return "max(\(list(step.scores)))"
        case .mNew: return "max(m_old, tile_max) = max(\(number(step.mOld)), \(number(step.tileMax)))"
        case .rescale:
            return step.mOld == -.infinity ? "0 (nothing summed yet)" : "exp(m_old − m_new) = exp(\(number(step.mOld)) − \(factor(step.mNew)))"
        case .ℓOld: return "ℓ after the previous tile"
        case .tileSum: return "Σ exp(s − m_new) = " + step.weights.map(number).prefix(maxTerms).joined(separator: " + ") + (step.weights.count > maxTerms ? " + …" : "")
        case .ℓNew: return "ℓ_old·rescale + tile_sum = \(factor(step.ℓOld))×\(factor(step.rescale)) + \(number(step.tileSum))"
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
