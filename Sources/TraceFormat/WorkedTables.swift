import AttentionEngine

/// The stable softmax of one row as printed numbers, for a table or a few lines: the scores
/// as their table prints them, the max, s − max of the numbers shown, the exponentials and
/// their sum with enough decimals that the exponentials add up to the sum shown and each
/// exponential divided by the sum gives the weight shown.
public struct SoftmaxSteps: Sendable {
    public var scores: [String]
    public var maximum: String
    public var shifted: [String]
    public var exponentials: [String]
    public var sum: String
    public var weights: [String]
    /// Keys a mask hid (score −∞, weight exactly 0).
    public var masked: [Bool]

    public init(_ work: Softmax.RowWork, worked: Worked, scoreDecimals: Int, weightDecimals: Int) {
        func fixed(_ x: Double, _ d: Int) -> String { NumberFormat.fixed(x, decimals: d) }
        masked = work.scores.map { $0 == -.infinity }
        scores = work.scores.map { fixed($0, scoreDecimals) }
        maximum = fixed(work.maximum, scoreDecimals)
        // s − max of the numbers shown: exact at the scores' decimals.
        let m = NumberFormat.rounded(work.maximum, decimals: scoreDecimals)
        shifted = work.scores.map { $0 == -.infinity ? "−∞" : fixed(NumberFormat.rounded($0, decimals: scoreDecimals) - m, scoreDecimals) }
        weights = work.weights.map { fixed($0, weightDecimals) }
        // The sum to `d` decimals, the exponentials to `d + extra`: the first pair that adds up.
        let base = worked.decimals
        var choice = (sum: base, terms: base)
        search: for d in base...(base + Worked.extraDigits) {
            for terms in d...(d + 2) {
                choice = (d, terms)
                if Self.addsUp(work, sum: d, terms: terms, weightDecimals: weightDecimals, base: base) { break search }
            }
        }
        let (sumShown, termShown) = (ShownNumbers(digits: choice.sum, base: base), ShownNumbers(digits: choice.terms, base: base))
        exponentials = work.exponentials.map(termShown.text)
        sum = sumShown.text(work.sum)
    }

    static func addsUp(_ work: Softmax.RowWork, sum d: Int, terms t: Int, weightDecimals w: Int, base: Int) -> Bool {
        let (sumShown, termShown) = (ShownNumbers(digits: d, base: base), ShownNumbers(digits: t, base: base))
        let total = sumShown.value(work.sum)
        let added = work.exponentials.reduce(0) { $0 + termShown.value($1) }
        guard abs(added - total) <= Worked.halfUnit(NumberFormat.isWhole(work.sum) ? 0 : d, of: total) else { return false }
        return zip(work.exponentials, work.weights).allSatisfy { e, α in
            let target = NumberFormat.rounded(α, decimals: w)
            return abs(termShown.value(e) / total - target) <= Worked.halfUnit(w, of: target)
        }
    }
}

/// A context vector as the sum of weighted value rows, as printed numbers: each weight and
/// value row (with enough decimals that Σ weight × value gives the z shown), each product
/// (with enough decimals that the products add up to the z shown), and z as its table
/// prints it.
public struct WeightedRowSum: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var weight: String
        public var values: [String]
        public var products: [String]
    }
    public var valueName: String
    public var rows: [Row]
    public var total: [String]

    /// Nil unless `event` is a context event.
    public init?(_ event: TraceEvent, row i: Int, worked: Worked) {
        guard let parts = event.weightedRows(of: i) else { return nil }
        valueName = event.operands[1].name
        let places = worked.decimals(of: event.values)
        let z = Array(event.values.row(i))
        total = z.map { NumberFormat.fixed($0, decimals: places) }
        func fits(_ value: (Int, Int) -> Double) -> Bool {
            z.indices.allSatisfy { c in
                let target = NumberFormat.rounded(z[c], decimals: places)
                return abs(parts.indices.reduce(0) { $0 + value($1, c) } - target) <= Worked.halfUnit(places, of: target)
            }
        }
        let digits = worked.decimals...(worked.decimals + Worked.extraDigits)
        let factorDigits = digits.first { d in
            let n = ShownNumbers(digits: d, base: worked.decimals)
            return fits { k, c in n.value(parts[k].weight) * n.value(parts[k].row[c]) }
        } ?? digits.upperBound
        let productDigits = digits.first { d in
            let n = ShownNumbers(digits: d, base: worked.decimals)
            return fits { k, c in n.value(parts[k].weight * parts[k].row[c]) }
        } ?? digits.upperBound
        let (f, p) = (ShownNumbers(digits: factorDigits, base: worked.decimals), ShownNumbers(digits: productDigits, base: worked.decimals))
        rows = parts.map { part in
            Row(label: part.label, weight: f.text(part.weight), values: part.row.map(f.text), products: part.row.map { p.text($0 * part.weight) })
        }
    }
}
