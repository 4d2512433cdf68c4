import Foundation

/// Tiled attention with the online softmax (the idea of FlashAttention, Dao et al., 2022).
/// `tiles: {rows: Br, columns: Bc}` computes Z one tile of Br queries × Bc keys at a time and
/// never holds a whole row of α. Each query row keeps a running maximum m, a running sum ℓ
/// and a running output o; a new tile of scores s_j updates them:
///
///     m_new = max(m_old, max_j s_j)
///     ℓ_new = ℓ_old·exp(m_old − m_new) + Σ_j exp(s_j − m_new)
///     o_new = o_old·exp(m_old − m_new) + Σ_j exp(s_j − m_new)·v_j
///
/// and after the last tile z = o / ℓ. The rescale exp(m_old − m_new) corrects what was
/// summed against an older, smaller maximum. Tiles that a mask hides entirely are skipped.
/// The trace records every step of one row (the focus token's) and checks Z against the
/// plain computation (to 1e-12).
extension Attention {
    static func tiled(_ i: Int, _ q: Operand, _ k: Operand, _ v: Operand, _ tiles: AttentionSpec.Tiles, _ spec: AttentionSpec,
                      focus: Int, recordingIn events: inout [TraceEvent]) throws(SpecError) -> TraceEvent {
        let (n, m, dV) = (q.matrix.rows, k.matrix.rows, v.matrix.columns)
        let focus = min(max(focus, 0), n - 1)
        let scale = spec.scale ? 1 / Double(spec.dK).squareRoot() : 1
        var O = Matrix.zeros(n, dV)                          // running outputs, then o after the last tile
        var ℓ = [Double](repeating: 0, count: n)
        var steps: [OnlineStep] = [], outputs: [Double] = []
        for r0 in stride(from: 0, to: n, by: tiles.rows) {
            let rows = r0..<min(r0 + tiles.rows, n)
            let qTile = q.matrix.rowBlock(rows)                                  // (Br, d_k)
            var running = RunningRows(count: rows.count, width: dV)
            for c0 in stride(from: 0, to: m, by: tiles.columns) {
                let keys = c0..<min(c0 + tiles.columns, m)
                if let mask = spec.mask, mask.hidesAll(queries: rows, keys: keys) { continue }
                // s = q·kᵀ / √d_k for the tile, −∞ where masked         (Br, d_k)·(d_k, Bc) → (Br, Bc)
                var S = qTile.timesTranspose(of: k.matrix.rowBlock(keys))
                let record = rows.contains(focus) ? focus - r0 : nil
                let mask = spec.mask.flatMap { $0.hidesNone(queries: rows, keys: keys) ? nil : $0 }
                let step = running.update(&S, scale: scale, rows: rows, keys: keys, mask: mask, recording: record)
                // o ← o·rescale + P·V_tile                                 (Br, Bc)·(Bc, d_v) → (Br, d_v)
                running.add(S * v.matrix.rowBlock(keys))
                if let step, let r = record {
                    steps.append(OnlineStep(step, keys: keys, keyLabels: Array(k.rowLabels[keys])))
                    outputs += running.o.row(r)
                }
            }
            O.setRows(r0, running.o)
            for (r, sum) in running.ℓ.enumerated() { ℓ[r0 + r] = sum }
        }
        // z = o / ℓ, row by row
        let Z = Matrix.uninitialized(n, dV) { out in
            for r in 0..<n { for c in 0..<dV { out[r * dV + c] = O[r, c] / ℓ[r] } }
        }
        if !Z.allFinite { try Overflow.scores(head: i).check(Matrix(rows: 1, columns: 1, storage: [.nan])) }
        // The same rows the plain way (all of them when small, else the focus row)
        let checked = n * m <= 1 << 22 ? Array(0..<n) : [focus]
        let gap = Z.rows(checked).largestDifference(from: plainRows(checked, q, k, v, scale: scale, mask: spec.mask))
        precondition(gap <= 1e-12, "tiled Z differs from the plain computation by \(gap) in head \(i)")

        let label = q.rowLabels[focus]
        let sizes = "tiles of \(tiles.rows) quer\(tiles.rows == 1 ? "y" : "ies") × \(tiles.columns) key\(tiles.columns == 1 ? "" : "s")"
        events.append(TraceEvent(
            stage: .tiling, head: i, name: "online",
            formula: "online softmax of row \(label), one key tile at a time (\(sizes)): m_new = max(m_old, max_j s_j), "
                + "rescale = exp(m_old − m_new), ℓ_new = ℓ_old·rescale + Σ_j exp(s_j − m_new)",
            operands: [], rowLabels: steps.map(\.label), columnLabels: OnlineStep.Quantity.allCases.map(\.label),
            values: Matrix(steps.map { step in OnlineStep.Quantity.allCases.map { step.value($0) } }), detail: .online(steps)))
        events.append(TraceEvent(
            stage: .tiling, head: i, name: "o",
            formula: "o_new = rescale·o_old + Σ_j exp(s_j − m_new)·v_j, row \(label), after each key tile (not yet divided by ℓ)",
            operands: [v], rowLabels: steps.map(\.label), columnLabels: v.columnLabels,
            values: Matrix(rows: steps.count, columns: dV, storage: outputs), detail: .runningOutput(steps)))
        return record(TraceEvent(
            stage: .context, head: i, name: "Z",
            formula: "Z = o / ℓ after the last key tile (\(sizes); no row of α stored whole), "
                + "equal to softmax(Q·Kᵀ\(spec.scale ? " / √d_k" : ""))·V on the rows checked (largest difference "
                + "\(shortScientific(gap)))",
            operands: [], rowLabels: q.rowLabels, columnLabels: v.columnLabels, values: Z, detail: .tiledContext(o: O, sums: ℓ)),
            in: &events)
    }

    /// Rows `rows` of softmax(q·kᵀ·scale, masked)·v, the plain way: the reference tiles are checked against.
    static func plainRows(_ rows: [Int], _ q: Operand, _ k: Operand, _ v: Operand, scale: Double, mask: AttentionSpec.Mask?) -> Matrix {
        var S = q.matrix.rows(rows).timesTranspose(of: k.matrix)
        for (r, i) in rows.enumerated() {
            for j in 0..<S.columns { S[r, j] = mask?.hides(query: i, key: j) == true ? -.infinity : S[r, j] * scale }
        }
        return Softmax.rows(of: S) * v.matrix
    }
}

/// The running m, ℓ and o of a tile's query rows.
struct RunningRows {
    var m: [Double]
    var ℓ: [Double]
    var o: Matrix

    init(count: Int, width: Int) {
        m = Array(repeating: -.infinity, count: count)
        ℓ = Array(repeating: 0, count: count)
        o = .zeros(count, width)
    }

    /// Turns the tile's raw scores S into P = exp(s − m_new) in place, with s = S·scale or −∞
    /// where masked, and rescales ℓ and o; returns the step of row `recording`.
    mutating func update(_ S: inout Matrix, scale: Double, rows: Range<Int>, keys: Range<Int>,
                         mask: AttentionSpec.Mask?, recording: Int?)
        -> (scores: [Double], m: Double, max: Double, mNew: Double, rescale: Double, ℓ: Double, p: [Double], sum: Double, ℓNew: Double)? {
        let width = keys.count
        var step: (scores: [Double], m: Double, max: Double, mNew: Double, rescale: Double, ℓ: Double, p: [Double], sum: Double, ℓNew: Double)?
        S.storage.withUnsafeMutableBufferPointer { buffer in
            for r in 0..<S.rows {
                let s = buffer.baseAddress! + r * width
                var tileMax = -Double.infinity
                for j in 0..<width {
                    s[j] = mask?.hides(query: rows.lowerBound + r, key: keys.lowerBound + j) == true ? -.infinity : s[j] * scale
                    if s[j] > tileMax { tileMax = s[j] }
                }
                let scores = r == recording ? Array(UnsafeBufferPointer(start: s, count: width)) : []
                let mNew = Swift.max(m[r], tileMax)
                let rescale = m[r] == -.infinity ? 0 : exp(m[r] - mNew)
                var sum = 0.0
                if mNew == -.infinity {
                    for j in 0..<width { s[j] = 0 }
                } else {
                    var j = 0
                    while j + 4 <= width {
                        let p = Softmax.exp4(UnsafeRawPointer(s + j).loadUnaligned(as: SIMD4<Double>.self) - mNew)
                        UnsafeMutableRawPointer(s + j).storeBytes(of: p, as: SIMD4<Double>.self)
                        sum += p[0]; sum += p[1]; sum += p[2]; sum += p[3]
                        j += 4
                    }
                    while j < width { s[j] = exp(s[j] - mNew); sum += s[j]; j += 1 }
                }
                let ℓNew = ℓ[r] * rescale + sum
                if r == recording {
                    step = (scores, m[r], tileMax, mNew, rescale, ℓ[r], Array(UnsafeBufferPointer(start: s, count: width)), sum, ℓNew)
                }
                (m[r], ℓ[r]) = (mNew, ℓNew)
                if rescale != 1 { for c in 0..<o.columns { o[r, c] *= rescale } }
            }
        }
        return step
    }

    /// o += P·V for the tile.
    mutating func add(_ product: Matrix) {
        o.storage.withUnsafeMutableBufferPointer { out in
            product.storage.withUnsafeBufferPointer { p in for index in out.indices { out[index] += p[index] } }
        }
    }
}

/// One key tile of the online softmax for one query row.
public struct OnlineStep: Sendable, Equatable {
    /// The columns of the `online` event.
    public enum Quantity: Int, CaseIterable, Sendable {
        case mOld, tileMax, mNew, rescale, ℓOld, tileSum, ℓNew
        public var label: String {
            ["m_old", "tile_max", "m_new", "rescale", "ℓ_old", "tile_sum", "ℓ_new"][rawValue]
        }
    }
    public let keys: Range<Int>
    public let keyLabels: [String]
    /// s_j of the tile: scaled scores, −∞ where masked.
    public let scores: [Double]
    public let mOld: Double
    public let tileMax: Double
    public let mNew: Double
    public let rescale: Double
    public let ℓOld: Double
    /// p_j = exp(s_j − m_new).
    public let weights: [Double]
    public let tileSum: Double
    public let ℓNew: Double

    init(_ s: (scores: [Double], m: Double, max: Double, mNew: Double, rescale: Double, ℓ: Double, p: [Double], sum: Double, ℓNew: Double),
         keys: Range<Int>, keyLabels: [String]) {
        (self.keys, self.keyLabels, scores, mOld, tileMax, mNew) = (keys, keyLabels, s.scores, s.m, s.max, s.mNew)
        (rescale, ℓOld, weights, tileSum, ℓNew) = (s.rescale, s.ℓ, s.p, s.sum, s.ℓNew)
    }

    /// The row label: `keys 0–3`.
    public var label: String { keys.count == 1 ? "key \(keys.lowerBound)" : "keys \(keys.lowerBound)–\(keys.upperBound - 1)" }

    public func value(_ quantity: Quantity) -> Double {
        switch quantity {
        case .mOld: return mOld
        case .tileMax: return tileMax
        case .mNew: return mNew
        case .rescale: return rescale
        case .ℓOld: return ℓOld
        case .tileSum: return tileSum
        case .ℓNew: return ℓNew
        }
    }

    /// o_new[c] = Σ_j p_j·V[j, c] + rescale·o_old[c], as a dot product with one extra term.
    func output(column c: Int, V: Operand, previous: Double, result: Double) -> DotProduct {
        DotProduct(left: "[p | rescale]", right: "[\(V.name)[\(label), \(V.columnLabels[c])] | o_old]",
                   termLabels: keyLabels + ["o_old"], a: weights + [rescale],
                   b: keys.map { V.matrix[$0, c] } + [previous], bias: nil, result: result)
    }
}

extension Matrix {
    /// Rows `range`, as a new matrix.
    func rowBlock(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns, storage: Array(storage[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// Writes `block` over rows first, first + 1, ….
    mutating func setRows(_ first: Int, _ block: Matrix) {
        let start = first * columns
        storage.replaceSubrange(start..<(start + block.storage.count), with: block.storage)
    }
}

extension AttentionSpec.Mask {
    /// Whether every query of `queries` may look at every key of `keys` (a tile with nothing to mask).
    func hidesNone(queries: Range<Int>, keys: Range<Int>) -> Bool {
        switch self {
        case .causal: return keys.upperBound - 1 <= queries.lowerBound
        case .window(let w): return keys.upperBound - 1 <= queries.lowerBound && (queries.upperBound - 1) - keys.lowerBound < w
        case .padding(let padding): return !padding[keys].contains(true)
        }
    }

    /// Whether every query of `queries` is kept from every key of `keys` (a tile to skip).
    func hidesAll(queries: Range<Int>, keys: Range<Int>) -> Bool {
        switch self {
        case .causal: return keys.lowerBound > queries.upperBound - 1
        case .window(let w): return keys.lowerBound > queries.upperBound - 1 || queries.lowerBound - (keys.upperBound - 1) >= w
        case .padding(let padding): return padding[keys].allSatisfy { $0 }
        }
    }
}
