// Exercise 12 · the softmax backward of one row (lesson 12).
// dω_scaled_j = α_j · (dα_j − Σ_k α_k · dα_k).                    (m), (m) → (m)
public func softmaxBackwardRow(weights: [Double], dWeights: [Double]) -> [Double] {
    var average = 0.0                                       // Σ_k α_k · dα_k, the α-weighted average of dα
    for (a, d) in zip(weights, dWeights) { average += a * d }
    return zip(weights, dWeights).map { a, d in a * (d - average) }   // exactly 0 where α = 0
}
