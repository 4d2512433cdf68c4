import Foundation
import WorkbookChecks
import WorkbookSolutions

/// A deliberately wrong implementation of one exercise, the mistake the checks must name,
/// and words the message must contain.
struct WrongImplementation: CustomStringConvertible, Sendable {
    let exercise: Int
    let name: String
    let diagnosis: Diagnosis.Kind
    let says: String
    /// The reference solutions with this exercise's function made wrong.
    let make: @Sendable () -> Implementations

    var description: String { "\(exercise) · \(name)" }
}

// Building blocks, each the reference's arithmetic with one thing changed.
private var ref: Implementations { .reference }

private func stableSoftmax(_ row: [Double]) -> [Double] {
    let m = row.max() ?? 0
    let e = row.map { exp($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}
private func transpose(_ m: [[Double]]) -> [[Double]] {
    guard let width = m.first?.count else { return [] }
    return (0..<width).map { j in m.map { $0[j] } }
}
private func columnSoftmax(_ s: [[Double]]) -> [[Double]] { transpose(transpose(s).map(stableSoftmax)) }
private func naiveSoftmax(_ s: [[Double]]) -> [[Double]] {
    s.map { row in let e = row.map { exp($0) }; let t = e.reduce(0, +); return e.map { $0 / t } }
}
private func times(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] { ref.project(a, b) }
private func weightedSum(_ a: [Double], _ d: [Double]) -> Double { zip(a, d).reduce(0) { $0 + $1.0 * $1.1 } }

/// Attention put together from the reference's pieces, with any of them swapped.
private func attention(_ X: [[Double]], _ source: [[Double]], _ W_Q: [[Double]], _ W_K: [[Double]], _ W_V: [[Double]],
                       scale: Bool = true, softmax: @escaping ([[Double]]) -> [[Double]] = ref.softmaxRows,
                       transposeScores: Bool = false, values: (([[Double]]) -> [[Double]])? = nil) -> [[Double]] {
    let Q = times(X, W_Q), K = times(source, W_K), V = values?(source) ?? times(source, W_V)
    var s = ref.scoreMatrix(Q, K)
    if scale { s = ref.scaled(s, W_Q[0].count) }
    if transposeScores { s = transpose(s) }
    return times(softmax(s), V)
}
private func selfAttention(scale: Bool = true, softmax: @escaping ([[Double]]) -> [[Double]] = ref.softmaxRows,
                           transposeScores: Bool = false, values: (([[Double]]) -> [[Double]])? = nil)
    -> ([[Double]], [[Double]], [[Double]], [[Double]]) -> [[Double]] {
    { X, W_Q, W_K, W_V in attention(X, X, W_Q, W_K, W_V, scale: scale, softmax: softmax, transposeScores: transposeScores, values: values) }
}
private func masked(_ s: [[Double]], _ value: Double, _ hidden: (Int, Int) -> Bool) -> [[Double]] {
    s.enumerated().map { i, row in row.enumerated().map { j, x in hidden(i, j) ? value : x } }
}
private func wrong(_ exercise: Int, _ name: String, _ diagnosis: Diagnosis.Kind, _ says: String,
                   _ change: @escaping @Sendable (inout Implementations) -> Void) -> WrongImplementation {
    WrongImplementation(exercise: exercise, name: name, diagnosis: diagnosis, says: says) {
        var implementations = Implementations.reference
        change(&implementations)
        return implementations
    }
}

/// One per diagnosis the checks know, and a few more.
let wrongImplementations: [WrongImplementation] = [
    // 2 · ω = Q·Kᵀ
    wrong(2, "K·Qᵀ instead of Q·Kᵀ", .transposedScores, "transposed") { $0.scoreMatrix = { Q, K in ref.scoreMatrix(K, Q) } },
    wrong(2, "Q·K, K not transposed", .untransposedK, "K was not transposed") {
        $0.scoreMatrix = { Q, K in Q.map { q in (0..<K[0].count).map { j in q.indices.reduce(0) { $0 + q[$1] * K[$1][j] } } } }
    },
    // 3 · X·W
    wrong(3, "X·Wᵀ", .transposedWeights, "column c") {
        $0.project = { X, W in X.map { x in W.map { w in zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } } } }
    },
    // 4 · scaling
    wrong(4, "divided by d_k, not √d_k", .dividedByDk, "forgot the square root") { $0.scaled = { s, d in s.map { $0.map { $0 / Double(d) } } } },
    wrong(4, "not scaled at all", .noScaling, "divide each one by √d_k") { $0.scaled = { s, _ in s } },
    wrong(4, "multiplied by √d_k", .multipliedByRoot, "multiplied") { $0.scaled = { s, d in s.map { $0.map { $0 * Double(d).squareRoot() } } } },
    // 5 · softmax
    wrong(5, "softmax of each column", .softmaxOverColumns, "wrong axis") { $0.softmaxRows = columnSoftmax },
    wrong(5, "no max subtraction", .noMaxSubtraction, "no max subtraction") { $0.softmaxRows = naiveSoftmax },
    wrong(5, "one maximum for the whole matrix", .globalMax, "one maximum for the whole matrix") {
        $0.softmaxRows = { s in
            let m = s.flatMap { $0 }.max() ?? 0
            return s.map { row in let e = row.map { exp($0 - m) }; let t = e.reduce(0, +); return e.map { $0 / t } }
        }
    },
    wrong(5, "exponentials not divided by their sum", .notNormalized, "do not add up to 1") {
        $0.softmaxRows = { s in s.map { row in let m = row.max() ?? 0; return row.map { exp($0 - m) } } }
    },
    wrong(5, "divided by the row maximum's exponential only, twice", .notNormalized, "adds up to") {
        $0.softmaxRows = { s in s.map { row in stableSoftmax(row).map { $0 * 0.5 } } }
    },
    wrong(5, "computed in Float", .nearlyRight, "Float") {
        $0.softmaxRows = { s in s.map { row in stableSoftmax(row).map { Double(Float($0)) } } }
    },
    // 6 · context vector
    wrong(6, "plain average of the values", .uniformWeights, "same weight") {
        $0.contextVector = { _, V in V[0].indices.map { c in V.reduce(0) { $0 + $1[c] } / Double(V.count) } }
    },
    // 7 · attention
    wrong(7, "forgot √d_k", .noScaling, "forgot √d_k") { $0.attention = selfAttention(scale: false) },
    wrong(7, "divided by d_k", .dividedByDk, "forgot the square root") {
        $0.attention = { X, W_Q, W_K, W_V in
            let s = ref.scoreMatrix(times(X, W_Q), times(X, W_K)).map { $0.map { $0 / Double(W_Q[0].count) } }
            return times(ref.softmaxRows(s), times(X, W_V))
        }
    },
    wrong(7, "scaled by √d_v, the value size", .scaledByDv, "you divided by √d_v") {
        $0.attention = { X, W_Q, W_K, W_V in
            let s = ref.scaled(ref.scoreMatrix(times(X, W_Q), times(X, W_K)), W_V[0].count)
            return times(ref.softmaxRows(s), times(X, W_V))
        }
    },
    wrong(7, "softmax over columns", .softmaxOverColumns, "wrong axis") { $0.attention = selfAttention(softmax: columnSoftmax) },
    wrong(7, "transposed K", .transposedScores, "transposed K") { $0.attention = selfAttention(transposeScores: true) },
    wrong(7, "no max subtraction", .noMaxSubtraction, "NaN or ∞") { $0.attention = selfAttention(softmax: naiveSoftmax) },
    wrong(7, "returns α", .returnedWeights, "you returned α") {
        $0.attention = { X, W_Q, W_K, _ in ref.softmaxRows(ref.scaled(ref.scoreMatrix(times(X, W_Q), times(X, W_K)), W_Q[0].count)) }
    },
    wrong(7, "mixes X instead of V", .valuesWithoutProjection, "V = X·W_V") { $0.attention = selfAttention(values: { $0 }) },
    // 8 · causal mask
    wrong(8, "mask applied after the softmax", .maskAfterSoftmax, "after the softmax") {
        $0.causalWeights = { s in masked(ref.softmaxRows(s), 0) { i, j in j > i } }
    },
    wrong(8, "mask after an unstable softmax", .maskAfterSoftmax, "no longer add up to 1") {
        $0.causalWeights = { s in masked(naiveSoftmax(s), 0) { i, j in j > i }.map { $0.map { $0 * 1.0000001 } } }
    },
    wrong(8, "no mask", .noMask, "no mask") { $0.causalWeights = ref.softmaxRows },
    wrong(8, "hidden scores set to 0", .maskWithZero, "instead of −∞") {
        $0.causalWeights = { s in ref.softmaxRows(masked(s, 0) { i, j in j > i }) }
    },
    wrong(8, "hides the past instead of the future", .maskWrongSide, "wrong side") {
        $0.causalWeights = { s in ref.softmaxRows(masked(s, -.infinity) { i, j in j < i }) }
    },
    wrong(8, "hides the diagonal too", .maskHidesDiagonal, "diagonal") {
        $0.causalWeights = { s in ref.softmaxRows(masked(s, -.infinity) { i, j in j >= i }) }
    },
    // 9 · split
    wrong(9, "every h-th column", .interleavedHeads, "column c goes to head c mod") {
        $0.splitHeads = { m, h in (0..<h).map { k in m.map { row in row.indices.filter { $0 % h == k }.map { row[$0] } } } }
    },
    wrong(9, "splits the rows", .splitRows, "rows") {
        $0.splitHeads = { m, h in let n = m.count / h; return (0..<h).map { k in Array(m[(k * n)..<((k + 1) * n)]) } }
    },
    // 10 · concatenate
    wrong(10, "stacks the heads vertically", .stackedHeads, "side by side") { $0.concatenateHeads = { $0.flatMap { $0 } } },
    wrong(10, "reverses the heads", .reversedHeads, "reverse order") { $0.concatenateHeads = { ref.concatenateHeads($0.reversed()) } },
    wrong(10, "alternates the heads' columns", .interleavedHeads, "alternate") {
        $0.concatenateHeads = { heads in heads[0].indices.map { i in heads[0][i].indices.flatMap { c in heads.map { $0[i][c] } } } }
    },
    // 11 · cross-attention
    wrong(11, "keys and values from the target", .keysFromTarget, "from the target") {
        $0.crossAttention = { X, _, W_Q, W_K, W_V in attention(X, X, W_Q, W_K, W_V) }
    },
    wrong(11, "queries from the source", .queriesFromSource, "from the source") {
        $0.crossAttention = { _, S, W_Q, W_K, W_V in attention(S, S, W_Q, W_K, W_V) }
    },
    wrong(11, "forgot √d_k", .noScaling, "forgot √d_k") {
        $0.crossAttention = { X, S, W_Q, W_K, W_V in attention(X, S, W_Q, W_K, W_V, scale: false) }
    },
    wrong(11, "scaled by √d_v, the value size", .scaledByDv, "you divided by √d_v") {
        $0.crossAttention = { X, S, W_Q, W_K, W_V in
            let s = ref.scaled(ref.scoreMatrix(times(X, W_Q), times(S, W_K)), W_V[0].count)
            return times(ref.softmaxRows(s), times(S, W_V))
        }
    },
    wrong(11, "softmax over columns", .softmaxOverColumns, "wrong axis") {
        $0.crossAttention = { X, S, W_Q, W_K, W_V in attention(X, S, W_Q, W_K, W_V, softmax: columnSoftmax) }
    },
    // 12 · the softmax backward of one row
    wrong(12, "the row's average forgotten: α ⊙ dα", .forgotRowSum, "forgot the row's average") {
        $0.softmaxBackwardRow = { a, d in zip(a, d).map { $0 * $1 } }
    },
    wrong(12, "no factor α_j: dα − Σ α·dα", .missingWeightFactor, "did not multiply by the weight") {
        $0.softmaxBackwardRow = { a, d in let s = weightedSum(a, d); return d.map { $0 - s } }
    },
    wrong(12, "the plain sum of dα subtracted", .rowSumUnweighted, "not weighted") {
        $0.softmaxBackwardRow = { a, d in let s = d.reduce(0, +); return zip(a, d).map { $0 * ($1 - s) } }
    },
    wrong(12, "the plain mean of dα subtracted", .rowSumUnweighted, "plain mean") {
        $0.softmaxBackwardRow = { a, d in let s = d.reduce(0, +) / Double(d.count); return zip(a, d).map { $0 * ($1 - s) } }
    },
    wrong(12, "dα passed through", .gradientPassedThrough, "passed dα through unchanged") { $0.softmaxBackwardRow = { _, d in d } },
    wrong(12, "the sign flipped", .gradientSignFlipped, "sign") {
        $0.softmaxBackwardRow = { a, d in let s = weightedSum(a, d); return zip(a, d).map { $0 * (s - $1) } }
    },
    wrong(12, "weights clamped away from 0", .hiddenKeyGradient, "exactly 0") {
        $0.softmaxBackwardRow = { a, d in let s = weightedSum(a, d); return zip(a, d).map { max($0, 1e-12) * ($1 - s) } }
    },
    // 13 · dV = αᵀ·dZ
    wrong(13, "α·dZ, α not transposed", .weightsNotTransposed, "α was not transposed") {
        $0.valueGradient = { w, dZ in times(w, dZ) }
    },
    wrong(13, "α·dZ on the first rows of dZ, when there are more queries than keys", .weightsNotTransposed, "one row per query token") {
        $0.valueGradient = { w, dZ in w.count > w[0].count ? times(w, Array(dZ.prefix(w[0].count))) : ref.valueGradient(w, dZ) }
    },
    wrong(13, "dZᵀ·α, the transpose of dV", .gradientTransposed, "the transpose of dV") {
        $0.valueGradient = { w, dZ in times(transpose(dZ), w) }
    },
    wrong(13, "the rows of dZ added up, no weights", .valueGradientUnweighted, "same gradient") {
        $0.valueGradient = { w, dZ in w[0].indices.map { _ in dZ[0].indices.map { c in dZ.reduce(0) { $0 + $1[c] } } } }
    },
    // 14 · dQ and dK
    wrong(14, "forgot √d_k in both", .noScaling, "forgot √d_k") {
        $0.queryKeyGradients = { s, Q, K, _ in ref.queryKeyGradients(s, Q, K, 1) }
    },
    wrong(14, "forgot √d_k in dK only", .noScaling, "dQ is right but you forgot √d_k") {
        $0.queryKeyGradients = { s, Q, K, d in (ref.queryKeyGradients(s, Q, K, d).dQ, ref.queryKeyGradients(s, Q, K, 1).dK) }
    },
    wrong(14, "multiplied by √d_k", .multipliedByRoot, "multiplied") {
        $0.queryKeyGradients = { s, Q, K, d in
            let r = ref.queryKeyGradients(s, Q, K, 1), root = Double(d).squareRoot()
            return (r.dQ.map { $0.map { $0 * root } }, r.dK.map { $0.map { $0 * root } })
        }
    },
    wrong(14, "divided by d_k", .dividedByDk, "forgot the square root") {
        $0.queryKeyGradients = { s, Q, K, d in ref.queryKeyGradients(s, Q, K, d * d) }
    },
    wrong(14, "dK = dω·Q, not transposed", .keyGradientNotTransposed, "dK needs the transpose") {
        $0.queryKeyGradients = { s, Q, K, d in (ref.queryKeyGradients(s, Q, K, d).dQ, ref.scaled(times(s, Q), d)) }   // square first
    },
    wrong(14, "dK = dω·Q on the first rows of Q, when there are more queries than keys", .keyGradientNotTransposed, "one row per query token") {
        $0.queryKeyGradients = { s, Q, K, d in
            let right = ref.queryKeyGradients(s, Q, K, d)
            return s.count > s[0].count ? (right.dQ, ref.scaled(times(s, Array(Q.prefix(s[0].count))), d)) : right
        }
    },
    wrong(14, "(dK, dQ), the wrong order", .gradientsSwapped, "wrong order") {
        $0.queryKeyGradients = { s, Q, K, d in let r = ref.queryKeyGradients(s, Q, K, d); return (r.dK, r.dQ) }
    },
    wrong(14, "Q and K swapped", .queriesKeysSwapped, "Q and K are swapped") {
        $0.queryKeyGradients = { s, Q, K, d in (ref.scaled(times(s, Q), d), ref.scaled(times(transpose(s), K), d)) }
    },
    // 15 · a decode step
    wrong(15, "not scaled", .noScaling, "forgot √d_k") {
        $0.decodeStep = { q, k, v, K, V in decode(q, k, v, K, V, root: 1) }
    },
    wrong(15, "attends before appending", .attendedOldCache, "old cache only") {
        $0.decodeStep = { q, k, v, K, V in
            let z = K.isEmpty ? v : decode(q, k, v, K, V, attendOld: true).z
            return (K + [k], V + [v], z)
        }
    },
    // 16 · the online softmax
    wrong(16, "ℓ and o not rescaled", .onlineNoRescale, "did not rescale") {
        $0.onlineSoftmaxStep = { m, l, o, s, V in onlineStep(m, l, o, s, V, rescale: { _, _ in 1 }) }
    },
    wrong(16, "rescale exp(m_new − m)", .onlineRescaleInverted, "upside down") {
        $0.onlineSoftmaxStep = { m, l, o, s, V in onlineStep(m, l, o, s, V, rescale: { old, new in exp(new - old) }) }
    },
    wrong(16, "the tile's maximum forgets the old one", .onlineTileMaxOnly, "maximum of this tile only") {
        $0.onlineSoftmaxStep = { m, l, o, s, V in onlineStep(m, l, o, s, V, tileMaxOnly: true) }
    },
]

/// One tile of the online softmax with a changed rescale or maximum.
private func onlineStep(_ m: Double, _ l: Double, _ o: [Double], _ s: [Double], _ values: [[Double]],
                        rescale: (Double, Double) -> Double = { old, new in exp(old - new) }, tileMaxOnly: Bool = false) -> (m: Double, l: Double, o: [Double]) {
    let top = s.max() ?? -.infinity
    let mNew = tileMaxOnly ? top : max(m, top)
    if mNew == -.infinity { return (m, l, o) }
    let r = m == -.infinity ? 0 : rescale(m, mNew)
    let p = s.map { exp($0 - mNew) }
    var out = o.map { $0 * r }
    for (j, v) in values.enumerated() { for c in v.indices { out[c] += p[j] * v[c] } }
    return (mNew, l * r + p.reduce(0, +), out)
}

/// A decode step with the scores divided by `root` (default √d_k), over the old cache if asked.
private func decode(_ q: [Double], _ k: [Double], _ v: [Double], _ K: [[Double]], _ V: [[Double]],
                    root: Double? = nil, attendOld: Bool = false) -> (keys: [[Double]], values: [[Double]], z: [Double]) {
    let (keys, values) = (K + [k], V + [v])
    let (seenK, seenV) = attendOld ? (K, V) : (keys, values)
    let r = root ?? Double(q.count).squareRoot()
    let weights = stableSoftmax(seenK.map { key in zip(q, key).reduce(0) { $0 + $1.0 * $1.1 } / r })
    return (keys, values, ref.contextVector(weights, seenV))
}

/// Stubs that return zeros of the right shape: every exercise must reject them.
var zeroStubs: Implementations { Implementations(
    scores: { _, K in [Double](repeating: 0, count: K.count) },
    scoreMatrix: { Q, K in Q.map { _ in [Double](repeating: 0, count: K.count) } },
    project: { X, W in X.map { _ in [Double](repeating: 0, count: W[0].count) } },
    scaled: { s, _ in s.map { $0.map { _ in 0 } } },
    softmaxRows: { s in s.map { $0.map { _ in 0 } } },
    contextVector: { _, V in [Double](repeating: 0, count: V[0].count) },
    attention: { X, _, _, W_V in X.map { _ in [Double](repeating: 0, count: W_V[0].count) } },
    causalWeights: { s in s.map { $0.map { _ in 0 } } },
    splitHeads: { m, h in (0..<h).map { _ in m.map { row in [Double](repeating: 0, count: row.count / h) } } },
    concatenateHeads: { heads in heads[0].map { row in [Double](repeating: 0, count: row.count * heads.count) } },
    crossAttention: { X, _, _, _, W_V in X.map { _ in [Double](repeating: 0, count: W_V[0].count) } },
    softmaxBackwardRow: { w, _ in w.map { _ in 0 } },
    valueGradient: { w, dZ in w[0].map { _ in dZ[0].map { _ in 0 } } },
    queryKeyGradients: { _, Q, K, _ in (Q.map { $0.map { _ in 0 } }, K.map { $0.map { _ in 0 } }) },
    decodeStep: { _, k, v, K, V in ((K + [k]).map { $0.map { _ in 0 } }, (V + [v]).map { $0.map { _ in 0 } }, v.map { _ in 0 }) },
    onlineSoftmaxStep: { _, _, o, _, _ in (0, 0, o.map { _ in 0 }) }) }

/// Stubs that return (one of) their inputs unchanged.
var inputStubs: Implementations { Implementations(
    scores: { q, _ in q }, scoreMatrix: { Q, _ in Q }, project: { X, _ in X }, scaled: { s, _ in s },
    softmaxRows: { $0 }, contextVector: { w, _ in w }, attention: { X, _, _, _ in X }, causalWeights: { $0 },
    splitHeads: { m, _ in [m] }, concatenateHeads: { $0[0] }, crossAttention: { X, _, _, _, _ in X },
    softmaxBackwardRow: { w, _ in w }, valueGradient: { _, dZ in dZ }, queryKeyGradients: { _, Q, K, _ in (Q, K) },
    decodeStep: { _, _, v, K, V in (K, V, v) }, onlineSoftmaxStep: { m, l, o, _, _ in (m, l, o) }) }
