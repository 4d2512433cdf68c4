import Foundation

/// Exercise 6 · one context vector z = Σ_j α_j v_j
/// Lesson: lessons/02-attention-without-weights.md ("Three steps", the context step);
/// lessons/05-where-to-look.md ("What to take: V")
///
/// The weighted sum of the value vectors: each value row v_j, multiplied by its weight
/// α_j, all added up.
///
///     z[c] = Σ_j α_j · v_j[c]
///
/// Shapes: `weights` has m numbers (one row of α, summing to 1); `values` is m × d_v,
/// one row per key token. Returns d_v numbers.
///
/// Example: contextVector(weights: [0.25, 0.75], values: [[4, 0], [0, 8]]) == [1, 6]
public func contextVector(weights: [Double], values: [[Double]]) -> [Double] {
    notStarted()
}
