// Exercise 8 · causal attention weights (lesson 06).
// −∞ where j > i, then the softmax of each row.                   (n × n) → (n × n)
public func causalWeights(_ scores: [[Double]]) -> [[Double]] {
    let masked = scores.enumerated().map { i, row in
        row.enumerated().map { j, score in j > i ? -Double.infinity : score }
    }
    return softmaxRows(masked)
}
