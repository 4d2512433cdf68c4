import Foundation

/// The numerically stable softmax: subtracting the row maximum first changes nothing
/// mathematically (the factor e^−max cancels) but keeps exp from overflowing.
public enum Softmax {
    /// softmax(row)_j = exp(s_j − max) / Σ_k exp(s_k − max). −∞ entries get exactly 0.
    /// A row must hold at least one finite value (validation guarantees it).
    public static func rows(of scores: Matrix) -> Matrix {
        let (n, m) = (scores.rows, scores.columns)
        if n == 0 || m == 0 { return scores }
        return .uninitialized(n, m) { out in
            scores.storage.withUnsafeBufferPointer { s in
                for i in 0..<n {
                    let row = s.baseAddress! + i * m, e = out.baseAddress! + i * m
                    var maximum = -Double.infinity
                    for j in 0..<m where row[j] > maximum { maximum = row[j] }
                    // e_j = exp(s_j − max), four at a time; the sum is taken left to right.
                    var total = 0.0
                    for j in stride(from: 0, to: m, by: 4) {
                        let count = min(4, m - j)
                        var shifted = SIMD4<Double>(repeating: 0)
                        if count == 4 {
                            shifted = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD4<Double>.self) - maximum
                        } else {
                            for lane in 0..<count { shifted[lane] = row[j + lane] - maximum }
                        }
                        let exps = exp4(shifted)                 // exp(−∞) = 0 for masked keys
                        for lane in 0..<count {
                            e[j + lane] = exps[lane]
                            total += exps[lane]
                        }
                    }
                    for j in 0..<m { e[j] /= total }
                }
            }
        }
    }

    /// e^x for four values at once, within 1 ulp of the C library's exp (which `work` uses;
    /// Tests/EngineTests/SoftmaxTests.swift checks millions of values and every edge below).
    /// A long row's softmax is mostly exponentials, and this makes it about 1.5× faster than
    /// calling exp one value at a time.
    ///
    /// e^x = 2ⁿ·eʳ with n = round(x / ln 2) and r = x − n·ln 2, |r| ≤ ln 2 / 2, where eʳ is
    /// its Taylor series to r¹³ (truncation error below 10⁻¹⁷). Values outside
    /// [−708, 709] (where 2ⁿ would not be a normal number), −∞ and NaN go to the C library.
    static func exp4(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let inRange = (x .>= -708) .& (x .<= 709)
        let y = x.replacing(with: 0, where: .!inRange)
        // n = round(y / ln 2): adding 1.5·2⁵² rounds to an integer and leaves it in the low bits.
        let shifter = SIMD4<Double>(repeating: 0x1.8p52)
        let t = y * 1.4426950408889634 + shifter
        let n = t - shifter
        // r = y − n·ln 2, with ln 2 split in two so that n·ln2Hi is exact.
        let r = (y - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10
        // eʳ = 1 + r + r²·(1/2! + r/3! + … + r¹¹/13!), Horner's rule.
        var q = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)
        for factorial in [479_001_600.0, 39_916_800, 3_628_800, 362_880, 40_320, 5_040, 720, 120, 24, 6, 2] {
            q = q * r + 1 / factorial
        }
        let expR = 1 + (r + r * r * q)
        // 2ⁿ built from its bits: exponent field n + 1023.
        let nInt = unsafeBitCast(t, to: SIMD4<Int64>.self) &- unsafeBitCast(shifter, to: SIMD4<Int64>.self)
        var result = expR * unsafeBitCast((nInt &+ 1023) &<< 52, to: SIMD4<Double>.self)
        if any(.!inRange) {
            for lane in 0..<4 where !inRange[lane] { result[lane] = exp(x[lane]) }
        }
        return result
    }

    /// The pieces of one row's softmax, for explaining a cell.
    public struct RowWork: Sendable, Equatable {
        public let scores: [Double]
        public let maximum: Double
        public let shifted: [Double]
        public let exponentials: [Double]
        public let sum: Double
        public let weights: [Double]
    }

    public static func work(_ row: [Double]) -> RowWork {
        let maximum = row.max() ?? 0
        let shifted = row.map { $0 - maximum }
        let exponentials = shifted.map { exp($0) }
        let sum = exponentials.reduce(0, +)
        return RowWork(scores: row, maximum: maximum, shifted: shifted, exponentials: exponentials,
                       sum: sum, weights: exponentials.map { $0 / sum })
    }
}
