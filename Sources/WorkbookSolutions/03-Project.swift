// Exercise 3 · a projection P = X·W (lesson 03).
// P[i][c] = Σ_r X[i][r]·W[r][c].                 (n × d_model)·(d_model × d_out) → (n × d_out)
public func project(_ X: [[Double]], _ W: [[Double]]) -> [[Double]] {
    let columns = W.first?.count ?? 0
    return X.map { x in
        (0..<columns).map { c in
            var sum = 0.0
            for r in x.indices { sum += x[r] * W[r][c] }
            return sum
        }
    }
}
