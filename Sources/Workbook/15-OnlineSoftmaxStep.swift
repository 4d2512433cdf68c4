import Foundation

/// Exercise 15 · one tile of the online softmax
/// Lesson: lessons/14-online-softmax.md ("The fix: a running maximum, and a correction")
///
/// Tiled attention (FlashAttention) sees the scores of one query row a tile at a time. It
/// keeps a running maximum m, a running sum ℓ (here `l`) and a running output o, and
/// updates them with each new tile of scores s_j and their value rows v_j:
///
///     m_new = max(m, max_j s_j)
///     rescale = exp(m − m_new)
///     l_new = l · rescale + Σ_j exp(s_j − m_new)
///     o_new = o · rescale + Σ_j exp(s_j − m_new) · v_j
///
/// Before the first tile m = −∞, l = 0 and o is all zeros (exp(−∞) = 0, so the rescale is
/// 0 then). A masked score is −∞ and adds exp(−∞) = 0. If every score so far is −∞
/// (m_new = −∞: nothing visible yet), return the state unchanged: exp(−∞ − (−∞)) is NaN.
///
/// Shapes: `o` has d_v numbers; `scores` has the tile's b numbers; `values` is b × d_v, one
/// row per key of the tile. Returns the new (m, l, o).
///
/// Example: onlineSoftmaxStep(m: 0, l: 1, o: [2], scores: [0], values: [[4]]) == (m: 0, l: 2, o: [6])
public func onlineSoftmaxStep(m: Double, l: Double, o: [Double], scores: [Double], values: [[Double]]) -> (m: Double, l: Double, o: [Double]) {
    notStarted()
}
