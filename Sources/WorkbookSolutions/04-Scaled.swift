// Exercise 4 · scaling by √d_k (lesson 04).
// ω_scaled = ω / √d_k.                                            (n × m) → (n × m)
public func scaled(_ scores: [[Double]], dK: Int) -> [[Double]] {
    let root = Double(dK).squareRoot()
    return scores.map { row in row.map { $0 / root } }
}
