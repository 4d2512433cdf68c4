import Foundation

/// Rotary position embeddings (Su et al., RoFormer, 2021). The query and key of the token at
/// position p are split into d_k/2 pairs of columns; pair i is turned by the angle p·θ_i,
///
///     θ_i = base^(−2i/d_k)                 (base 10000)
///     (a, b) → (a·cos pθ_i − b·sin pθ_i,  a·sin pθ_i + b·cos pθ_i)
///
/// so that q_m·k_n depends on m − n only. Pairs are adjacent columns (2i, 2i+1) as in
/// RoFormer, or the two halves (i, i + d_k/2) as in Llama's Hugging Face code.
extension AttentionSpec.Rotary {
    /// The pair holding column `c` of a `d`-wide vector: its index i and its two columns.
    func pair(of c: Int, width d: Int) -> (index: Int, first: Int, second: Int) {
        switch pairing {
        case .adjacent: return (c / 2, c - c % 2, c - c % 2 + 1)
        case .half: let i = c % (d / 2); return (i, i, i + d / 2)
        }
    }

    /// θ_i = base^(−2i/d).
    func theta(_ i: Int, width d: Int) -> Double { pow(base, -2 * Double(i) / Double(d)) }

    /// `x` (one row per position 0, 1, …) with every pair turned by p·θ_i.
    func rotated(_ x: Matrix) -> Matrix {
        let d = x.columns
        var out = x
        for i in 0..<(d / 2) {
            let θ = theta(i, width: d)
            let (_, a, b) = pair(of: pairing == .adjacent ? 2 * i : i, width: d)
            for p in 0..<x.rows {
                let (cosine, sine) = (cos(Double(p) * θ), sin(Double(p) * θ))
                let (u, v) = (x[p, a], x[p, b])
                out[p, a] = u * cosine - v * sine
                out[p, b] = u * sine + v * cosine
            }
        }
        return out
    }
}

/// One number of a rotated pair, worked out: position p, pair i with columns (first, second),
/// the angle p·θ_i, the pair's two inputs a and b, and which of the two outputs this is.
public struct RotatedCell: Sendable, Equatable {
    public let position: Int
    public let pair: Int
    public let first: Int
    public let second: Int
    public let theta: Double
    public let angle: Double
    public let a: Double
    public let b: Double
    /// a·cos − b·sin (the pair's first column) or a·sin + b·cos (its second).
    public let isFirst: Bool
    public let result: Double
    public var cosine: Double { cos(angle) }
    public var sine: Double { sin(angle) }

    init(_ rope: AttentionSpec.Rotary, _ row: ArraySlice<Double>, position: Int, column c: Int, result: Double) {
        let d = row.count, start = row.startIndex
        let (i, first, second) = rope.pair(of: c, width: d)
        (self.position, self.pair, self.first, self.second) = (position, i, first, second)
        theta = rope.theta(i, width: d)
        angle = Double(position) * theta
        (a, b) = (row[start + first], row[start + second])
        isFirst = c == first
        self.result = result
    }
}

extension TraceEvent {
    /// Q_rot (or K_rot): `x` with each pair of columns turned by its position times θ_i.
    static func rotary(_ head: Int, _ role: String, _ x: Operand, _ rope: AttentionSpec.Rotary) -> TraceEvent {
        let pairs = rope.pairing == .adjacent ? "(2i, 2i+1)" : "(i, i + d_k/2)"
        return TraceEvent(
            stage: .rotary, head: head, name: role + "_rot",
            formula: "\(role)_rot = \(x.name) with each pair of columns \(pairs) turned by p·θ_i,  θ_i = \(NumberText.short(rope.base))^(−2i/d_k)",
            operands: [x], rowLabels: x.rowLabels, columnLabels: x.columnLabels,
            values: rope.rotated(x.matrix), detail: .rotated(rope))
    }
}

/// Short numbers for formulas: 10000, not 10000.0.
enum NumberText {
    static func short(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
