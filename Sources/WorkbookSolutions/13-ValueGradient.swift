// Exercise 13 · the value gradient (lesson 12).
// dV = αᵀ · dZ: dV[j][c] = Σ_i α[i][j] · dZ[i][c].              (n × m), (n × d_v) → (m × d_v)
public func valueGradient(weights: [[Double]], dZ: [[Double]]) -> [[Double]] {
    let (m, dV) = (weights.first?.count ?? 0, dZ.first?.count ?? 0)
    var gradient = [[Double]](repeating: [Double](repeating: 0, count: dV), count: m)
    for (i, row) in weights.enumerated() {                  // query i blames key j by its weight α[i][j]
        for j in 0..<m {
            for c in 0..<dV { gradient[j][c] += row[j] * dZ[i][c] }
        }
    }
    return gradient
}
