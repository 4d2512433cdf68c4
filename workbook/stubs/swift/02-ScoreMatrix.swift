import Foundation

/// Exercise 2 · the score matrix ω = Q·Kᵀ
/// Lesson: lessons/02-attention-without-weights.md ("Three steps", the matrix form)
///
/// All the scores at once: row i holds the scores of query i against every key, so
/// ω[i][j] is the dot product of row i of Q with row j of K.
///
///     ω = Q·Kᵀ        ω[i][j] = Q[i] · K[j]
///
/// Shapes: `queries` is n × d, `keys` is m × d. Returns n × m: one row per query,
/// one column per key. (In self-attention n = m; in cross-attention they differ.)
/// You may call your `scores(query:keys:)` from exercise 1.
///
/// Example: scoreMatrix(queries: [[1, 0], [0, 1]], keys: [[1, 2], [3, 4], [5, 6]])
///          == [[1, 3, 5], [2, 4, 6]]
public func scoreMatrix(queries: [[Double]], keys: [[Double]]) -> [[Double]] {
    notStarted()
}
