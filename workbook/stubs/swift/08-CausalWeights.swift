import Foundation

/// Exercise 8 · a causal mask
/// Lesson: lessons/06-masks.md ("The trick: −∞ before the softmax", "Causal: no looking ahead")
///
/// Attention weights where token i may look only at tokens j ≤ i (itself and earlier
/// ones). Replace each hidden score (j > i) by −∞ BEFORE the softmax: its weight becomes
/// exactly 0 and the visible weights of the row still add up to 1.
///
///     masked[i][j] = s[i][j] if j ≤ i, −∞ if j > i        (−Double.infinity)
///     α = softmaxRows(masked)
///
/// Shapes: `scores` is n × n, already scaled. Returns α, n × n, zero above the diagonal.
/// Call your `softmaxRows` from exercise 5.
///
/// Example: causalWeights([[1, 5], [0, 0]]) == [[1, 0], [0.5, 0.5]]
public func causalWeights(_ scores: [[Double]]) -> [[Double]] {
    notStarted()
}
