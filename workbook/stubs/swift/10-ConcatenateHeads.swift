import Foundation

/// Exercise 10 · concatenating the heads
/// Lesson: lessons/07-multi-head.md ("Splitting the columns": Z_concat = [Z_0 | Z_1 | …])
///
/// Put the heads' outputs side by side: row i of the result is row i of head 0, followed
/// by row i of head 1, and so on. It undoes `splitHeads`.
///
///     Z_concat[i] = Z_0[i] ++ Z_1[i] ++ … ++ Z_{h−1}[i]
///
/// Shapes: `heads` holds h matrices of n × d_v. Returns n × (h·d_v).
///
/// Example: concatenateHeads([[[1, 2], [5, 6]], [[3, 4], [7, 8]]])
///          == [[1, 2, 3, 4], [5, 6, 7, 8]]
public func concatenateHeads(_ heads: [[[Double]]]) -> [[Double]] {
    notStarted()
}
