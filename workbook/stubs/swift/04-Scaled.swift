import Foundation

/// Exercise 4 · scaling the scores by √d_k
/// Lesson: lessons/04-why-scale.md ("How big is a dot product?")
///
/// Divide every score by the square root of d_k, the width of the query and key vectors,
/// so that the scores stay in a range where the softmax still has a gradient.
///
///     ω_scaled[i][j] = ω[i][j] / √d_k
///
/// Shapes: `scores` is n × m; `dK` is d_k. Returns n × m.
/// (`Double(dK).squareRoot()` or `sqrt(Double(dK))` from Foundation gives √d_k.)
///
/// Example: scaled([[8, -4]], dK: 4) == [[4, -2]]
public func scaled(_ scores: [[Double]], dK: Int) -> [[Double]] {
    notStarted()
}
