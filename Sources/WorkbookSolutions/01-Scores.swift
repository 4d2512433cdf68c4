// Exercise 1 · dot-product scores for one query (lesson 02).
// ω_j = q · k_j: one dot product per key.                      (d), (m × d) → (m)
public func scores(query: [Double], keys: [[Double]]) -> [Double] {
    keys.map { key in
        var sum = 0.0
        for c in query.indices { sum += query[c] * key[c] }
        return sum
    }
}
