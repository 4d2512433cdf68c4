import Foundation

/// Exercise 16 · one tile of the online softmax
/// Lesson: lessons/14-online-softmax.md ("The fix: a running maximum, and a correction")
///
/// FlashAttention reads the keys of one query row a tile at a time. It keeps a running
/// maximum m, a running sum ℓ (`l`) and a running output o (Σ_j exp(s_j − m)·v_j, not yet
/// divided), and updates them with each tile of scores s_j and value rows v_j. What was
/// summed against the old maximum is rescaled by exp(m − m_new) first.
///
///     m_new = max(m, max_j s_j)
///     ℓ_new = ℓ · exp(m − m_new) + Σ_j exp(s_j − m_new)
///     o_new = o · exp(m − m_new) + Σ_j exp(s_j − m_new) · v_j
///
/// Shapes: `m` and `l` are numbers, `o` has d_v numbers; `scores` has b numbers (one per
/// key of the tile) and `values` is b × d_v. Returns (m_new, ℓ_new, o_new).
/// Before the first tile m = −∞, ℓ = 0 and o is zeros: the rescale exp(−∞) is 0. A masked
/// key's score is −∞. If m and every score of the tile are −∞ (nothing visible yet),
/// return m, ℓ and o unchanged: exp(−∞ − (−∞)) is NaN.
///
/// Example: onlineSoftmaxStep(m: -.infinity, l: 0, o: [0, 0], scores: [0, 0], values: [[1, 0], [0, 1]])
/// == (m: 0, l: 2, o: [1, 1])
public func onlineSoftmaxStep(m: Double, l: Double, o: [Double], scores: [Double], values: [[Double]]) -> (m: Double, l: Double, o: [Double]) {
    notStarted()
}
