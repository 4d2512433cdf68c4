import Foundation

/// Exercise 1 · dot-product scores for one query
/// Lesson: lessons/02-attention-without-weights.md ("Three steps")
///
/// Compare one query with every key: the score of key j is the dot product of the two
/// vectors, the sum of the products of their components.
///
///     ω_j = q · k_j = q[0]·k_j[0] + q[1]·k_j[1] + … + q[d−1]·k_j[d−1]
///
/// Shapes: `query` has d numbers; `keys` has m rows of d numbers (m × d).
/// Returns m scores, one per key, in the order of `keys`.
///
/// Example: scores(query: [1, 2], keys: [[3, 4], [0, 1]]) == [11, 2]
public func scores(query: [Double], keys: [[Double]]) -> [Double] {
    notStarted()
}
