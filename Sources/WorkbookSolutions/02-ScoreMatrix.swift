// Exercise 2 · the score matrix ω = Q·Kᵀ (lesson 02).
// Row i is query i's scores against every key.          (n × d)·(d × m) → (n × m)
public func scoreMatrix(queries: [[Double]], keys: [[Double]]) -> [[Double]] {
    queries.map { query in scores(query: query, keys: keys) }
}
