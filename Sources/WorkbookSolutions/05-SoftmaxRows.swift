import Foundation

// Exercise 5 · the stable softmax of each row (lesson 05).
// α[i][j] = exp(s[i][j] − max_i) / Σ_k exp(s[i][k] − max_i).      (n × m) → (n × m)
public func softmaxRows(_ scores: [[Double]]) -> [[Double]] {
    scores.map { row in
        let maximum = row.max() ?? 0                    // finite: every row has a visible key
        let exponentials = row.map { exp($0 - maximum) } // exp(−∞) = 0 for masked keys
        let sum = exponentials.reduce(0, +)              // ≥ 1: the maximum gives exp(0)
        return exponentials.map { $0 / sum }
    }
}
