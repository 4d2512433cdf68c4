import Foundation

/// Exercise 9 · splitting into heads
/// Lesson: lessons/07-multi-head.md ("Splitting the columns")
///
/// Cut a matrix into `heads` blocks of columns: head 0 takes the first d columns, head 1
/// the next d, and so on, where d = (number of columns) / heads. Every head keeps all the
/// rows (all the tokens).
///
///     head h = columns h·d ..< (h+1)·d of every row
///
/// Shapes: `matrix` is n × (heads·d). Returns `heads` matrices of n × d each.
///
/// Example: splitHeads([[1, 2, 3, 4], [5, 6, 7, 8]], heads: 2)
///          == [[[1, 2], [5, 6]], [[3, 4], [7, 8]]]
public func splitHeads(_ matrix: [[Double]], heads: Int) -> [[[Double]]] {
    notStarted()
}
