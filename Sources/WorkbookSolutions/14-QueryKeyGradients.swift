// Exercise 14 · the query and key gradients (lesson 12).
// dQ = dω_scaled · K / √d_k, dK = dω_scaledᵀ · Q / √d_k.  (n × m), (n × d_k), (m × d_k) → (n × d_k), (m × d_k)
public func queryKeyGradients(dScores: [[Double]], queries: [[Double]], keys: [[Double]], dK: Int) -> (dQ: [[Double]], dK: [[Double]]) {
    let root = Double(dK).squareRoot()
    let width = queries.first?.count ?? 0
    var queryGradient = [[Double]](repeating: [Double](repeating: 0, count: width), count: queries.count)
    var keyGradient = [[Double]](repeating: [Double](repeating: 0, count: width), count: keys.count)
    for (i, row) in dScores.enumerated() {
        for (j, g) in row.enumerated() {                    // ω_ij = q_i · k_j: q_i meets k_j, k_j meets q_i
            for c in 0..<width {
                queryGradient[i][c] += g * keys[j][c]
                keyGradient[j][c] += g * queries[i][c]
            }
        }
    }
    return (queryGradient.map { $0.map { $0 / root } }, keyGradient.map { $0.map { $0 / root } })
}
