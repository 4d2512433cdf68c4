import Foundation

/// Exercise 12 · the softmax backward of one row
/// Lesson: lessons/12-how-attention-learns.md ("The softmax backward, one row")
///
/// The backward pass reaches the softmax with dα, the gradient of the loss with respect to
/// the weights of one query's row, and must hand back the gradient with respect to the
/// scores that row was made from. Each weight depends on every score of its row, so each
/// score's gradient is its own weight times how far its own dα lies from the row's
/// α-weighted average of dα:
///
///     dω_scaled_j = α_j · (dα_j − Σ_k α_k · dα_k)
///
/// Shapes: `weights` is one row of α (m numbers, adding up to 1; a key hidden by a mask
/// has weight exactly 0), `dWeights` is the same row of dα (m numbers). Returns m numbers.
/// A key of weight 0 must get exactly 0, and the result adds up to 0.
///
/// Example: softmaxBackwardRow(weights: [0.5, 0.5], dWeights: [1, 3]) == [-0.5, 0.5]
public func softmaxBackwardRow(weights: [Double], dWeights: [Double]) -> [Double] {
    notStarted()
}
