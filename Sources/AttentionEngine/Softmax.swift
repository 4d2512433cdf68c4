import Foundation

/// The numerically stable softmax: subtracting the row maximum first changes nothing
/// mathematically (the factor e^−max cancels) but keeps exp from overflowing.
public enum Softmax {
    /// softmax(row)_j = exp(s_j − max) / Σ_k exp(s_k − max). −∞ entries get exactly 0.
    /// A row must hold at least one finite value (validation guarantees it).
    public static func rows(of scores: Matrix) -> Matrix {
        let (n, m) = (scores.rows, scores.columns)
        return .uninitialized(n, m) { out in
            scores.storage.withUnsafeBufferPointer { s in
                for i in 0..<n {
                    let row = UnsafeBufferPointer(rebasing: s[(i * m)..<((i + 1) * m)])
                    var maximum = -Double.infinity
                    for value in row where value > maximum { maximum = value }
                    var total = 0.0
                    for j in 0..<m {
                        let e = exp(row[j] - maximum)      // exp(−∞) = 0 for masked keys
                        out[i * m + j] = e
                        total += e
                    }
                    for j in 0..<m { out[i * m + j] /= total }
                }
            }
        }
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
