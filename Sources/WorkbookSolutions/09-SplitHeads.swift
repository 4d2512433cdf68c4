// Exercise 9 · splitting into heads (lesson 07).
// Head h takes columns h·d ..< (h+1)·d.                  (n × h·d) → h × (n × d)
public func splitHeads(_ matrix: [[Double]], heads: Int) -> [[[Double]]] {
    let width = (matrix.first?.count ?? 0) / heads
    return (0..<heads).map { h in
        matrix.map { row in Array(row[(h * width)..<((h + 1) * width)]) }
    }
}
