import AttentionEngine
import Foundation
import Testing

/// HandWork's intervals hold every result of honest hand work (each number on the way kept
/// in full or rounded to the question's decimals), and are not much wider than that.
@Suite("hand work bounds")
struct HandWorkTests {
    /// A student's computation of one cell, rounding each intermediate or not at random.
    struct Student {
        var generator: any RandomNumberGenerator
        let decimals: Int
        mutating func maybe(_ x: Double) -> Double {
            Bool.random(using: &generator) ? Bounds.round(x, decimals) : x
        }
        mutating func dot(_ a: [Double], _ b: [Double], bias: Double?) -> Double {
            var sum = 0.0
            for (x, y) in zip(a, b) { sum = maybe(sum + maybe(maybe(x) * maybe(y))) }
            if let bias { sum = maybe(sum + maybe(bias)) }
            return sum
        }
        mutating func softmax(_ scores: [Double], _ j: Int) -> Double {
            let m = maybe(scores.max()!)
            let e = scores.map { $0 == -.infinity ? 0 : maybe(exp(maybe(maybe($0) - m))) }
            var sum = 0.0
            for x in e { sum = maybe(sum + x) }
            return scores[j] == -.infinity ? 0 : e[j] / sum
        }
    }

    @Test("every honest rounding of the arithmetic lands inside the bounds", arguments: [2, 3, 4])
    func sound(decimals: Int) throws {
        var student = Student(generator: SystemRandomNumberGenerator(), decimals: decimals)
        for seed in stride(from: UInt64(11), to: 71, by: 10) {
            let trace = try run(randomSpec(n: 4, d: 6, heads: 2, seed: seed, mask: seed % 20 == 11 ? "causal" : nil, spread: 3))
            for event in trace.events where [.projection, .similarity, .scaling, .normalization, .context, .output].contains(event.stage) {
                for i in 0..<event.values.rows {
                    for j in 0..<event.values.columns where event.values[i, j].isFinite {
                        let bounds = HandWork.bounds(event, row: i, column: j, decimals: decimals)
                        #expect(bounds.contains(event.values[i, j]), "\(event.name)[\(i), \(j)]: exact value outside \(bounds)")
                        for _ in 0..<20 {
                            let result: Double
                            switch event.explain(row: i, column: j) {
                            case .dotProduct(let p), .weightedSum(let p): result = student.dot(p.a, p.b, bias: p.bias)
                            case .scaled(let score, _, let divisor, _): result = student.maybe(score) / student.maybe(divisor)
                            case .softmax(let row, let column, _): result = student.softmax(row.scores, column)
                            case .unmasked(let score): result = student.maybe(score)
                            default: continue
                            }
                            #expect(bounds.low - 1e-12 <= result && result <= bounds.high + 1e-12,
                                    "\(event.name)[\(i), \(j)] at \(decimals) decimals: \(result) outside \(bounds)")
                        }
                    }
                }
            }
        }
    }

    @Test("rounding the exponentials: lesson 2's journey → with weight, 0.1238 by hand, is inside")
    func lessonTwo() throws {
        // The row of ω for "journey" (x² · x^(j) of the six embeddings of lesson 2).
        let trace = try run("""
            tokens: [Your, journey, starts, with, one, step]
            X: [[0.43, 0.15, 0.89], [0.55, 0.87, 0.66], [0.57, 0.85, 0.64], [0.22, 0.58, 0.33], [0.77, 0.25, 0.10], [0.05, 0.80, 0.55]]
            scale: false
            """)
        let alpha = try #require(trace.event(named: "α"))
        let bounds = HandWork.accepted(HandWork.bounds(alpha, row: 1, column: 3, decimals: 4), decimals: 4)
        let exact = alpha.values[1, 3]
        let row = Softmax.work(Array(try #require(trace.event(named: "ω")).values.row(1)))
        let byHand = row.exponentials.map { Bounds.round($0, 4) }
        let handAlpha = Bounds.round(byHand[3] / byHand.reduce(0, +), 4)
        #expect(bounds.contains(handAlpha), "\(handAlpha) outside \(bounds)")
        #expect(bounds.contains(Bounds.round(exact, 4)))
        // Not a blank cheque: well under a hundredth either way.
        #expect(bounds.high - bounds.low < 0.002, "\(bounds)")
        #expect(!bounds.contains(exact + 0.002) && !bounds.contains(exact - 0.002))
    }

    @Test("integers stay exact: a one-hot product has no slack")
    func integers() throws {
        let trace = try run("tokens: [a, b]\nX: [[1, 0], [0, 1]]\nW_Q: [[2, 3], [4, 5]]\nW_K: [[1, 0], [0, 1]]\nW_V: [[1, 0], [0, 1]]\n")
        let q = try #require(trace.event(named: "Q"))
        let bounds = HandWork.bounds(q, row: 1, column: 0, decimals: 2)
        #expect(bounds.contains(4) && bounds.high - bounds.low < 1e-9, "\(bounds)")
    }
}

@Suite("hand work bounds of gradients")
struct HandWorkGradientTests {
    @Test("every gradient's exact value lies inside its bounds, and the bounds are narrow", arguments: [2, 4])
    func gradients(decimals: Int) throws {
        let trace = try run(randomSpec(n: 4, d: 6, heads: 2, seed: 5, mask: "causal", spread: 2) + "\nbackward: {dO: {seed: 9}}\n")
        let backward = trace.events.filter { $0.stage == .backward }
        #expect(backward.count > 10)
        for event in backward {
            for i in 0..<event.values.rows {
                for j in 0..<event.values.columns {
                    let bounds = HandWork.bounds(event, row: i, column: j, decimals: decimals)
                    #expect(bounds.contains(event.values[i, j]), "\(event.name)[\(i), \(j)]: \(event.values[i, j]) outside \(bounds)")
                    #expect(bounds.high - bounds.low < 0.5, "\(event.name)[\(i), \(j)]: \(bounds) is no check at all")
                }
            }
        }
    }
}
