@testable import AttentionEngine
import Foundation
import Testing

/// `Softmax.exp4` (the softmax's four-wide exponential) against the C library's exp, which
/// `Softmax.work` (the explanation of a cell) uses.
@Suite("exp4")
struct Exp4Tests {
    /// How many doubles lie between a and b (0: equal; NaN only matches NaN).
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        if a == b || (a.isNaN && b.isNaN) { return 0 }
        if a.isNaN || b.isNaN || a.sign != b.sign { return .max }
        let (x, y) = (a.magnitude.bitPattern, b.magnitude.bitPattern)
        return x > y ? x - y : y - x
    }

    static func uniform(seed: UInt64, _ low: Double, _ high: Double, _ count: Int) -> [Double] {
        SeededDistribution(seed: seed, low: low, high: high).matrix(rows: 1, columns: count).storage
    }

    /// The largest distance from libm's exp over `xs`, taken four at a time, with the worst x.
    static func worst(_ xs: [Double]) -> (ulps: UInt64, at: Double) {
        var worst: (ulps: UInt64, at: Double) = (0, .nan)
        for start in stride(from: 0, to: xs.count, by: 4) {
            var x = SIMD4<Double>(repeating: 0)
            for lane in 0..<4 { x[lane] = xs[min(start + lane, xs.count - 1)] }
            let e = Softmax.exp4(x)
            for lane in 0..<4 {
                let d = ulps(e[lane], exp(x[lane]))
                if d > worst.ulps { worst = (d, x[lane]) }
            }
        }
        return worst
    }

    @Test("within 1 ulp of exp over the softmax's range [−745, 0]: two million seeded values")
    func softmaxRange() {
        // Most shifted scores s − max are near 0: as many again in [−40, 0), and 0 itself.
        let xs = Self.uniform(seed: 11, -745, 0, 1_000_000) + Self.uniform(seed: 12, -40, 0, 1_000_000) + [0]
        let w = Self.worst(xs)
        #expect(w.ulps <= 1, "exp4(\(w.at)) is \(w.ulps) ulps from exp")
    }

    @Test("within 1 ulp of exp on the whole finite range, and around every edge")
    func edges() {
        var xs = Self.uniform(seed: 13, -750, 710, 200_000)
        // Each side of: 0; ±ln 2 / 2 (where n = round(x / ln 2) steps); the fast path's
        // limits −708 and 709; the last normal result (about −708.40); the last subnormal
        // result (about −745.13) and the first overflow to ∞ (about 709.78).
        let ln2: Double = log(2.0)
        let edges: [Double] = [0, ln2 / 2, -ln2 / 2, -708, 709, log(Double.leastNormalMagnitude),
                               log(Double.leastNonzeroMagnitude), log(Double.greatestFiniteMagnitude)]
        for edge in edges {
            var (below, above) = (edge, edge)
            for _ in 0..<2_000 {
                xs += [below, above]
                (below, above) = (below.nextDown, above.nextUp)
            }
            for k in 1...200 {
                let step = Double(k) * 1e-3
                xs += [edge - step, edge + step]
            }
        }
        let extremes: [Double] = [-0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, -746, -1000, -1e300, 710, 1e300]
        xs += extremes
        let w = Self.worst(xs)
        #expect(w.ulps <= 1, "exp4(\(w.at)) is \(w.ulps) ulps from exp")
    }

    @Test("exactly exp where it hands over to the C library: subnormal results, 0, ∞ and NaN")
    func handedOver() {
        let xs: [Double] = [-708.5, -720, -740, -745, -745.2, -800, -.infinity, 709.5, 709.78, 710, .infinity, .nan]
        for x in xs {
            let e = Softmax.exp4(SIMD4(repeating: x))[0]
            #expect(e.bitPattern == exp(x).bitPattern || (e.isNaN && exp(x).isNaN), "exp4(\(x)) = \(e), exp = \(exp(x))")
        }
        #expect(Softmax.exp4(SIMD4(repeating: -.infinity)) == SIMD4(repeating: 0))   // masked keys
        #expect(Softmax.exp4(SIMD4(repeating: -720))[0].isSubnormal)
    }
}
