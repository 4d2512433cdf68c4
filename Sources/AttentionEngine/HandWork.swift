import Foundation

/// A closed interval of real numbers: what a value may be when some of the numbers it was
/// made from are known only up to rounding.
public struct Bounds: Sendable, Equatable, CustomStringConvertible {
    public var low: Double
    public var high: Double

    public init(_ low: Double, _ high: Double) {
        self.low = Swift.min(low, high)
        self.high = Swift.max(low, high)
    }

    public init(exactly x: Double) { self.init(x, x) }

    public var description: String { "[\(low), \(high)]" }

    public func contains(_ x: Double) -> Bool { low <= x && x <= high }

    /// The value as written by someone who may or may not round it to `decimals` places:
    /// this interval together with its rounding (rounding is monotone, so the ends round
    /// to the ends).
    public func orRounded(_ decimals: Int) -> Bounds {
        let (a, b) = (Bounds.round(low, decimals), Bounds.round(high, decimals))
        return Bounds(Swift.min(low, a), Swift.max(high, b))
    }

    /// Half away from zero, as people and `%.Nf` round (ties are too rare to matter here).
    public static func round(_ x: Double, _ decimals: Int) -> Double {
        guard x.isFinite else { return x }
        let scale = Foundation.pow(10.0, Double(decimals))
        return (x * scale).rounded() / scale
    }

    public static func + (a: Bounds, b: Bounds) -> Bounds { Bounds(a.low + b.low, a.high + b.high) }
    public static func - (a: Bounds, b: Bounds) -> Bounds { Bounds(a.low - b.high, a.high - b.low) }
    public static func * (a: Bounds, b: Bounds) -> Bounds {
        let products = [a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high]
        return Bounds(products.min()!, products.max()!)
    }
    /// `b` must not contain 0.
    public static func / (a: Bounds, b: Bounds) -> Bounds {
        a * Bounds(1 / b.high, 1 / b.low)
    }
    public func map(_ increasing: (Double) -> Double) -> Bounds { Bounds(increasing(low), increasing(high)) }

    /// A little wider on both sides (a millionth of a millionth, relative), so that the same
    /// arithmetic done in another order (BLAS, the trace) never falls just outside.
    public var padded: Bounds {
        let slack = { (x: Double) in 1e-12 * Swift.max(1, abs(x)) }
        return Bounds(low - slack(low), high + slack(high))
    }
}

/// What careful hand work gives for one number of a trace: a student redoes the cell's
/// arithmetic from the numbers on the page, writing each number they read or make on the
/// way either in full or rounded to the question's decimals. The interval holds every such
/// result, so an answer box can accept honest work at that precision and nothing far off.
public enum HandWork {
    /// The softmax parts a cell of α can be asked for.
    public enum Part: String, Sendable, CaseIterable {
        case max, shifted, exp, sum, score
    }

    /// Bounds for `event.values[row, column]` (or `part` of its softmax), with the numbers
    /// on the way exact or rounded to `decimals` places. The final rounding of the answer
    /// is the caller's (see `accepted`).
    public static func bounds(_ event: TraceEvent, row: Int, column: Int, part: Part? = nil, decimals: Int) -> Bounds {
        unpadded(event, row: row, column: column, part: part, decimals: decimals).padded
    }

    static func unpadded(_ event: TraceEvent, row: Int, column: Int, part: Part?, decimals: Int) -> Bounds {
        let read = { (x: Double) in Bounds(exactly: x).orRounded(decimals) }
        switch event.explain(row: row, column: column) {
        case .given(let value), .copied(_, _, let value):
            return Bounds(exactly: value)
        case .dotProduct(let p), .weightedSum(let p):
            var sum = Bounds(exactly: 0)
            for (a, b) in zip(p.a, p.b) { sum = (sum + (read(a) * read(b)).orRounded(decimals)).orRounded(decimals) }
            if let bias = p.bias { sum = (sum + read(bias)).orRounded(decimals) }
            return sum
        case .positional(let x, _, _, _, _, let encoding, _):
            return read(x) + read(encoding)
        case .scaled(let score, _, let divisor, _):
            return read(score) / read(divisor)
        case .masked(let score, _):
            return Bounds(exactly: score)
        case .unmasked(let score):
            return read(score)
        case .softmax(let row, let j, _):
            return softmax(row, column: j, part: part, decimals: decimals)
        case .dropout(let weight, let kept, let p, _):
            return kept ? read(weight) / read(1 - p) : Bounds(exactly: 0)
        case .gradient(let gradient):
            return HandWork.gradient(gradient, decimals: decimals)
        case .rotated(let r):
            // (a, b) → (a·cos − b·sin, a·sin + b·cos)
            let (a, b) = (read(r.a), read(r.b))
            let (cos, sin) = (read(r.cosine), read(r.sine))
            return r.isFirst ? ((a * cos).orRounded(decimals) - (b * sin).orRounded(decimals))
                             : ((a * sin).orRounded(decimals) + (b * cos).orRounded(decimals))
        case .gathered(_, let value):
            return Bounds(exactly: value)
        case .online(_, _, let result):
            // A running statistic: asked for as read off the page.
            return read(result)
        case .divided(let numerator, let denominator, _):
            return read(numerator) / read(denominator)
        }
    }

    /// A gradient cell of the backward pass, worked the same way: sums of products, the
    /// softmax backward α_j·(dα_j − Σ_k α_k·dα_k), sums of labelled numbers.
    static func gradient(_ gradient: GradientExplanation, decimals: Int) -> Bounds {
        let read = { (x: Double) in Bounds(exactly: x).orRounded(decimals) }
        func dot(_ p: DotProduct) -> Bounds {
            var sum = Bounds(exactly: 0)
            for (a, b) in zip(p.a, p.b) { sum = (sum + (read(a) * read(b)).orRounded(decimals)).orRounded(decimals) }
            if let bias = p.bias { sum = (sum + read(bias)).orRounded(decimals) }
            return sum
        }
        switch gradient {
        case .products(let products, let dK, _):
            var sum = Bounds(exactly: 0)
            for p in products { sum = (sum + dot(p)).orRounded(decimals) }
            guard let dK else { return sum }
            return sum / read(Double(dK).squareRoot())
        case .softmax(let row, let j, _):
            if row.masked[j] { return Bounds(exactly: 0) }
            var rowSum = Bounds(exactly: 0)
            for (k, (a, d)) in zip(row.alpha, row.dAlpha).enumerated() where !row.masked[k] {
                rowSum = (rowSum + (read(a) * read(d)).orRounded(decimals)).orRounded(decimals)
            }
            return read(row.alpha[j]) * (read(row.dAlpha[j]) - rowSum).orRounded(decimals)
        case .sum(let terms, _):
            var sum = Bounds(exactly: 0)
            for term in terms { sum = (sum + read(term.value)).orRounded(decimals) }
            return sum
        case .copied(_, let value):
            return Bounds(exactly: value)
        }
    }

    static func softmax(_ row: Softmax.RowWork, column j: Int, part: Part?, decimals: Int) -> Bounds {
        let read = { (x: Double) in Bounds(exactly: x).orRounded(decimals) }
        let maximum = read(row.maximum)
        func shifted(_ k: Int) -> Bounds {
            // A masked score stays −∞ and its exponential 0.
            row.scores[k] == -.infinity ? Bounds(exactly: -.infinity) : (read(row.scores[k]) - maximum).orRounded(decimals)
        }
        func exponential(_ k: Int) -> Bounds {
            row.scores[k] == -.infinity ? Bounds(exactly: 0) : shifted(k).map(Foundation.exp).orRounded(decimals)
        }
        switch part {
        case .score?: return read(row.scores[j])
        case .max?: return maximum
        case .shifted?: return shifted(j)
        case .exp?: return exponential(j)
        case .sum?, nil:
            var sum = Bounds(exactly: 0)
            for k in row.scores.indices { sum = (sum + exponential(k)).orRounded(decimals) }
            if part == .sum { return sum }
            if row.scores[j] == -.infinity { return Bounds(exactly: 0) }
            // The exact weight is always accepted, however the rounding of the parts falls.
            let weight = exponential(j) / sum
            return Bounds(Swift.min(weight.low, row.weights[j]), Swift.max(weight.high, row.weights[j]))
        }
    }

    /// The answers to accept at `decimals` places for a value whose hand work lies in
    /// `bounds`: the interval itself, and its ends rounded to `decimals` places.
    public static func accepted(_ bounds: Bounds, decimals: Int) -> Bounds {
        bounds.orRounded(decimals)
    }
}
