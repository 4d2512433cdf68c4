import Foundation

/// Exercise 5 · a numerically stable softmax of each row
/// Lesson: lessons/05-where-to-look.md ("The stable softmax"); the softmax itself is in
/// lessons/02-attention-without-weights.md
///
/// Turn each row of scores into weights that are positive and add up to 1. Work on each
/// ROW separately (row i is where query i looks), and subtract the row's largest score
/// before exp: it changes nothing mathematically, but exp(800) overflows a Double.
///
///     m_i = max_j s[i][j]
///     α[i][j] = exp(s[i][j] − m_i) / Σ_k exp(s[i][k] − m_i)
///
/// Shapes: `scores` is n × m. Returns n × m, every row summing to 1.
/// A score of −∞ (a masked key, exercise 8) must get weight exactly 0: exp(−∞) = 0, so
/// this happens by itself. Every row has at least one finite score.
///
/// Example: softmaxRows([[0, 0], [1000, 1000]]) == [[0.5, 0.5], [0.5, 0.5]]
public func softmaxRows(_ scores: [[Double]]) -> [[Double]] {
    notStarted()
}
