// Exercise 10 · concatenating the heads (lesson 07).
// Row i is [Z_0[i] | Z_1[i] | …].                      h × (n × d_v) → (n × h·d_v)
public func concatenateHeads(_ heads: [[[Double]]]) -> [[Double]] {
    let n = heads.first?.count ?? 0
    return (0..<n).map { i in heads.flatMap { head in head[i] } }
}
