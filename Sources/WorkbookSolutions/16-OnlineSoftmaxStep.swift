import Foundation

// Exercise 16 · one step of the online softmax (lesson 14).
// m, l, o for one query row, updated with one tile of scores.   (d_v), (b), (b × d_v) → (d_v)
public func onlineSoftmaxStep(m: Double, l: Double, o: [Double], scores: [Double], values: [[Double]]) -> (m: Double, l: Double, o: [Double]) {
    let mNew = max(m, scores.max() ?? -.infinity)
    if mNew == -.infinity { return (m, l, o) }                 // nothing visible yet
    let rescale = exp(m - mNew)                                 // 0 before the first tile
    let p = scores.map { exp($0 - mNew) }                       // exp(−∞) = 0 for masked keys
    var oNew = o.map { $0 * rescale }
    for (j, value) in values.enumerated() {
        for c in value.indices { oNew[c] += p[j] * value[c] }
    }
    return (mNew, l * rescale + p.reduce(0, +), oNew)
}
