import AttentionEngine

/// The worked arithmetic behind one cell, as parts a student can check by hand
/// (`WorkedLine`): `ω[am, good] = Q[am]·K[good] = 0.55×0.43 + 0.87×0.15 + 0.66×0.89 = 0.95`.
/// The terminal and the pages both set these parts out.
///
/// Everything shown adds up: the result is printed as its table prints it (to `decimals`,
/// or as a whole number when every value of the table is whole), and the numbers of the last
/// step get as many more decimals (up to `extraDigits`) as it takes for them to re-add to
/// that result at that precision.
public struct Worked: Sendable {
    public var decimals: Int
    /// Dot products with more terms than this show the first and last few.
    public var maxTerms: Int
    /// At most this many decimals more than `decimals` for the numbers of a sum.
    public static let extraDigits = 4
    /// Where `fitted` starts its search (nil: at `decimals`), and the most it used.
    var startDigits: Int?
    var usedDigits = Counter()

    /// The most decimals any line needed, shared by copies of a `Worked` (a class, so that
    /// `fitted` can note it without making every caller mutating).
    final class Counter: @unchecked Sendable { var value = 0 }

    public init(decimals: Int = 4, maxTerms: Int = 8) {
        self.decimals = decimals
        self.maxTerms = maxTerms
    }

    public func number(_ x: Double) -> String { NumberFormat.fixed(x, decimals: decimals) }

    /// The decimals the table of `m` prints with: none when every value is whole.
    public func decimals(of m: Matrix) -> Int { NumberFormat.decimals(for: m.storage, decimals) }

    /// Half a unit in the last place of a number printed with `places` decimals, with room
    /// for the floating-point error of adding up what is shown.
    static func halfUnit(_ places: Int, of x: Double) -> Double {
        0.5 / pow10(places) + 1e-9 * max(1, abs(x))
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }

    /// The steps made with the fewest decimals (from `decimals` on) whose last step, worked
    /// with the numbers shown, comes to `result` as printed with `places` decimals.
    /// `make` gives the steps at some decimals and the value of its last step (nil when it
    /// cannot be re-added, e.g. when terms are elided).
    /// (`startDigits`, when set, is where the search starts: all lines of a row alike.)
    func fitted(_ result: Double, places: Int, _ make: (ShownNumbers) -> (steps: [String], value: Double?)) -> [String] {
        let target = NumberFormat.rounded(result, decimals: places)
        let first = max(decimals, startDigits ?? decimals)
        var best = make(ShownNumbers(digits: first, base: decimals)).steps
        for digits in first...(max(first, decimals + Self.extraDigits)) {
            let (steps, value) = make(ShownNumbers(digits: digits, base: decimals))
            best = steps
            usedDigits.value = max(usedDigits.value, digits)
            guard let value, result.isFinite else { return steps }
            if abs(value - target) <= Self.halfUnit(places, of: target) { return steps }
        }
        return best
    }

    /// The lines of row i for `columns`, their numbers all to the same decimals (the most
    /// that any one of them needs to add up), so that a stage's lines read alike.
    public func lines(_ event: TraceEvent, row i: Int, columns: [Int]) -> [WorkedLine] {
        var probe = self
        probe.usedDigits = Counter()
        for j in columns { _ = probe.cell(event, row: i, column: j) }
        var even = self
        even.startDigits = probe.usedDigits.value
        return columns.map { even.cell(event, row: i, column: $0) }
    }

    /// "a×b + c×d + …" with the numbers shown and the sum of what is shown; eliding the
    /// middle of long sums (which then cannot be re-added).
    func sum(_ p: DotProduct, _ shown: ShownNumbers) -> (text: String, value: Double?) {
        var terms = zip(p.a, p.b).map { "\(shown.factor($0))×\(shown.factor($1))" }
        var value: Double? = zip(p.a, p.b).reduce(0) { $0 + shown.value($1.0) * shown.value($1.1) } + (p.bias.map(shown.value) ?? 0)
        if terms.count > maxTerms {
            let keep = max(1, maxTerms / 2)
            terms = Array(terms.prefix(keep)) + ["… (\(p.a.count) terms) …"] + Array(terms.suffix(keep))
            value = nil
        }
        var text = terms.joined(separator: " + ")
        if let bias = p.bias { text += " + \(shown.factor(bias))" }
        return (text, value)
    }

    /// One line for cell (i, j) of `event`.
    public func cell(_ event: TraceEvent, row i: Int, column j: Int) -> WorkedLine {
        let name = "\(event.name)[\(event.rowLabels[i]), \(event.columnLabels[j])]"
        let places = decimals(of: event.values)
        func shown(_ x: Double) -> String { NumberFormat.fixed(x, decimals: places) }
        func line(_ steps: [String], _ result: Double, note: String? = nil) -> WorkedLine {
            WorkedLine(name: name, steps: steps, result: shown(result), note: note)
        }
        switch event.explain(row: i, column: j) {
        case .given(let value):
            return line([], value, note: "(given)")
        case .dotProduct(let p):
            return line([p.left + "·" + p.right] + fitted(p.result, places: places) { n in let s = sum(p, n); return ([s.text], s.value) }, p.result)
        case .weightedSum(let p):
            let formula = "Σ_j α[\(event.rowLabels[i]), j]·V[j, \(event.columnLabels[j])]"
            return line([formula] + fitted(p.result, places: places) { n in let s = sum(p, n); return ([s.text], s.value) }, p.result)
        case .positional(let x, let position, let column, let angle, let usesSine, let encoding, let result):
            let fn = usesSine ? "sin" : "cos"
            return line(fitted(result, places: places) { n in
                (["\(n.text(x)) + PE[\(position), \(column)]", "\(n.text(x)) + \(fn)(\(n.text(angle)))", "\(n.text(x)) + \(n.factor(encoding))"],
                 n.value(x) + n.value(encoding))
            }, result)
        case .scaled(let score, let dK, let divisor, let result):
            return line(fitted(result, places: places) { n in
                (["\(n.text(score)) / √\(dK)"] + (NumberFormat.isWhole(divisor) ? [] : ["\(n.text(score)) / \(n.text(divisor))"]),
                 n.value(score) / n.value(divisor))
            }, result)
        case .masked(_, let reason):
            switch reason {
            case .causal: return line([], -.infinity, note: "(causal mask: \(event.columnLabels[j]) comes after \(event.rowLabels[i]))")
            case .padding: return line([], -.infinity, note: "(padding mask: \(event.columnLabels[j]) is padding)")
            case .window(let query, let key, let width):
                return line([], -.infinity, note: "(sliding window: \(event.columnLabels[j]) is \(query - key) tokens back, outside the window of \(width))")
            }
        case .unmasked(let score):
            return line([], score, note: "(kept)")
        case .softmax(let work, let column, let result):
            let scores = NumberFormat.decimals(for: work.scores, decimals)
            let steps = SoftmaxSteps(work, worked: self, scoreDecimals: scores, weightDecimals: places)
            return line(["exp(\(steps.scores[column]) − \(steps.maximum)) / Σ", "\(steps.exponentials[column]) / \(steps.sum)"], result)
        case .copied(let head, let column, let value):
            return line(["Z_\(head)[\(event.rowLabels[i]), \(column)]"], value)
        case .gradient(let g):
            return gradientCell(name, g, places: places)
        case .dropout(let weight, let kept, let p, let result):
            let alpha = "α[\(event.rowLabels[i]), \(event.columnLabels[j])]"
            guard kept else { return line([], 0, note: "(dropped; \(alpha) was \(number(weight)))") }
            return line(["\(alpha) / (1 − p)"] + fitted(result, places: places) { n in
                (["\(n.text(weight)) / \(n.text(1 - p))"], n.value(weight) / n.value(1 - p))
            }, result, note: "(kept)")
        case .rotated(let r):
            let source = event.operands[0].name, row = event.rowLabels[i]
            let (a, b) = ("\(source)[\(row), \(r.first)]", "\(source)[\(row), \(r.second)]")
            let symbolic = r.isFirst ? "\(a)·cos(pθ) − \(b)·sin(pθ)" : "\(a)·sin(pθ) + \(b)·cos(pθ)"
            return line([symbolic] + fitted(r.result, places: places) { n in
                r.isFirst
                    ? (["\(n.factor(r.a))×\(n.factor(r.cosine)) − \(n.factor(r.b))×\(n.factor(r.sine))"],
                       n.value(r.a) * n.value(r.cosine) - n.value(r.b) * n.value(r.sine))
                    : (["\(n.factor(r.a))×\(n.factor(r.sine)) + \(n.factor(r.b))×\(n.factor(r.cosine))"],
                       n.value(r.a) * n.value(r.sine) + n.value(r.b) * n.value(r.cosine))
            }, r.result, note: "(position p = \(r.position), pair \(r.pair), θ = \(number(r.theta)), pθ = \(number(r.angle)))")
        case .gathered(let source, let value):
            return line([source], value)
        case .online(let step, let quantity, let result):
            return line(online(step, quantity, result: result, places: places), result)
        case .divided(let numerator, let denominator, let result):
            return line(["o / ℓ"] + fitted(result, places: places) { n in
                (["\(n.text(numerator)) / \(n.text(denominator))"], n.value(numerator) / n.value(denominator))
            }, result)
        }
    }

    /// How one statistic of an online-softmax step is made; the sums re-add like any line.
    func online(_ step: OnlineStep, _ quantity: OnlineStep.Quantity, result: Double, places: Int) -> [String] {
        func list(_ values: [Double]) -> String {
            let shown = values.count > maxTerms ? Array(values.prefix(maxTerms / 2)).map(number) + ["…"] + Array(values.suffix(maxTerms / 2)).map(number)
                                                : values.map(number)
            return shown.joined(separator: ", ")
        }
        switch quantity {
        case .mOld: return ["m after the previous tile" + (step.keys.lowerBound == 0 ? " (none yet: −∞)" : "")]
        case .tileMax: return ["max(\(list(step.scores)))"]
        case .mNew: return ["max(m_old, tile_max)", "max(\(number(step.mOld)), \(number(step.tileMax)))"]
        case .rescale:
            return step.mOld == -.infinity ? ["0 (nothing summed yet)"] : ["exp(m_old − m_new)", "exp(\(number(step.mOld)) − \(number(step.mNew)))"]
        case .ℓOld: return ["ℓ after the previous tile"]
        case .tileSum:
            guard step.weights.count <= maxTerms else {
                return ["Σ exp(s − m_new)", step.weights.prefix(maxTerms).map(number).joined(separator: " + ") + " + …"]
            }
            return ["Σ exp(s − m_new)"] + fitted(result, places: places) { n in
                ([step.weights.map(n.text).joined(separator: " + ")], step.weights.reduce(0) { $0 + n.value($1) })
            }
        case .ℓNew:
            return ["ℓ_old·rescale + tile_sum"] + fitted(result, places: places) { n in
                (["\(n.factor(step.ℓOld))×\(n.factor(step.rescale)) + \(n.text(step.tileSum))"],
                 n.value(step.ℓOld) * n.value(step.rescale) + n.value(step.tileSum))
            }
        }
    }

    /// The stable softmax of row i of an α event, step by step.
    public func softmaxRow(_ event: TraceEvent, row i: Int, elide: (Int) -> [Int?]) -> [String] {
        guard case .softmax(let work, _, _) = event.explain(row: i, column: 0) else { return [] }
        let steps = SoftmaxSteps(work, worked: self, scoreDecimals: NumberFormat.decimals(for: work.scores, decimals),
                                 weightDecimals: decimals(of: event.values))
        let columns = elide(work.scores.count)
        func list(_ values: [String]) -> String {
            "[" + columns.map { $0.map { values[$0] } ?? "…" }.joined(separator: ", ") + "]"
        }
        return [
            "scores s        = \(list(steps.scores))",
            "max             = \(steps.maximum)",
            "s − max         = \(list(steps.shifted))",
            "exp(s − max)    = \(list(steps.exponentials))",
            "Σ exp(s − max)  = \(steps.sum)",
            "α = exp / Σ     = \(list(steps.weights))",
        ]
    }

    /// z_i as a weighted sum of value rows: each weight times its value row, then the sum.
    public func contextRow(_ event: TraceEvent, row i: Int, elide: (Int) -> [Int?]) -> [String] {
        guard let sum = WeightedRowSum(event, row: i, worked: self) else { return [] }
        let shown = elide(sum.rows.count)
        let columns = elide(event.values.columns)
        func vector(_ v: [String]) -> String {
            "[" + columns.map { $0.map { v[$0] } ?? "…" }.joined(separator: ", ") + "]"
        }
        var lines = ["z[\(event.rowLabels[i])] = Σ_j α[\(event.rowLabels[i]), j] · \(sum.valueName)[j]"]
        for index in shown {
            guard let j = index else { lines.append("      + …"); continue }
            let row = sum.rows[j]
            lines.append("      \(j == 0 ? " " : "+") \(row.weight) × \(sum.valueName)[\(row.label)] \(vector(row.values))")
        }
        lines.append("      = \(vector(sum.total))")
        return lines
    }
}
