// Exercise 6 · one context vector (lessons 02 and 05).
// z = Σ_j α_j · v_j.                                          (m), (m × d_v) → (d_v)
public func contextVector(weights: [Double], values: [[Double]]) -> [Double] {
    var z = [Double](repeating: 0, count: values.first?.count ?? 0)
    for (j, value) in values.enumerated() {
        for c in value.indices { z[c] += weights[j] * value[c] }
    }
    return z
}
