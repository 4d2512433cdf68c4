import Foundation

/// How each stage's event is made. One small block per stage, in the forward pass's order.
extension TraceEvent {
    static func given(_ name: String, _ m: Matrix, _ rows: [String], _ columns: [String]) -> TraceEvent {
        TraceEvent(stage: .input, head: nil, name: name, formula: "\(name) (given)", operands: [],
                   rowLabels: rows, columnLabels: columns, values: m, detail: .none)
    }

    /// X + PE with PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)).
    static func positional(_ name: String, _ X: Matrix, _ tokens: [String]) -> (Matrix, TraceEvent) {
        let pe = sinusoidalEncoding(positions: X.rows, dimensions: X.columns)
        let sum = X + pe
        let dims = AttentionEngine.dims(X.columns)
        let base = name.hasPrefix("X_src") ? "X_src" : "X"
        let event = TraceEvent(
            stage: .positional, head: nil, name: name,
            formula: "\(name) = \(base) + PE,  PE[p, 2i] = sin(p / 10000^(2i/d)),  PE[p, 2i+1] = cos(p / 10000^(2i/d))",
            operands: [Operand(name: base, matrix: X, rowLabels: tokens, columnLabels: dims),
                       Operand(name: "PE", matrix: pe, rowLabels: tokens, columnLabels: dims)],
            rowLabels: tokens, columnLabels: dims, values: sum, detail: .positional)
        return (sum, event)
    }

    /// Q = X·W_Q + b_Q (and K, V likewise), for one head's column block.
    /// With grouped-query attention, `sharing` names the K/V head and the query heads that share it.
    static func projection(_ name: String, _ head: Int, _ inputName: String, _ input: Matrix, _ tokens: [String],
                           _ W: Matrix, _ b: [Double]?, _ result: Matrix, sharing: String? = nil) -> TraceEvent {
        let weight = "W_\(name)"
        return TraceEvent(
            stage: .projection, head: head, name: name,
            formula: "\(name) = \(inputName)·\(weight)" + (b == nil ? "" : " + b_\(name)") + (sharing.map { "  (\($0))" } ?? ""),
            operands: [Operand(name: inputName, matrix: input, rowLabels: tokens, columnLabels: dims(input.columns)),
                       Operand(name: weight, matrix: W, rowLabels: dims(W.rows), columnLabels: dims(W.columns))],
            rowLabels: tokens, columnLabels: dims(result.columns), values: result,
            detail: .product(rightTransposed: false, bias: b))
    }

    /// ω = Q·Kᵀ: ω_ij = q_i·k_j.
    static func similarity(_ head: Int, _ q: Operand, _ k: Operand) -> TraceEvent {
        TraceEvent(stage: .similarity, head: head, name: "ω", formula: "ω = \(q.name)·\(k.name)ᵀ",
                   operands: [q, k], rowLabels: q.rowLabels, columnLabels: k.rowLabels,
                   values: q.matrix.timesTranspose(of: k.matrix),
                   detail: .product(rightTransposed: true, bias: nil))
    }

    /// ω / √d_k.
    static func scaling(_ head: Int, _ scores: TraceEvent, dK: Int) -> TraceEvent {
        let root = Double(dK).squareRoot()
        return TraceEvent(stage: .scaling, head: head, name: "ω_scaled", formula: "ω_scaled = ω / √d_k,  d_k = \(dK)",
                          operands: [scores.asOperand], rowLabels: scores.rowLabels,
                          columnLabels: scores.columnLabels, values: scores.values.map { $0 / root },
                          detail: .scaled(dK: dK))
    }

    /// −∞ where query i may not look at key j; other scores unchanged.
    static func masking(_ head: Int, _ scores: TraceEvent, _ mask: AttentionSpec.Mask) -> TraceEvent {
        var masked = scores.values
        for i in 0..<masked.rows {
            for j in 0..<masked.columns where mask.hides(query: i, key: j) {
                masked[i, j] = -.infinity
            }
        }
        return TraceEvent(stage: .masking, head: head, name: "ω_masked", formula: "ω_masked = \(scores.name) with \(mask.rule)",
                          operands: [scores.asOperand], rowLabels: scores.rowLabels,
                          columnLabels: scores.columnLabels, values: masked, detail: .masked(mask))
    }

    /// α = softmax of each row, computed stably: exp(s − max) / Σ exp(s − max).
    static func normalization(_ head: Int, _ scores: TraceEvent) -> TraceEvent {
        TraceEvent(stage: .normalization, head: head, name: "α", formula: "α = softmax(\(scores.name)), row by row",
                   operands: [scores.asOperand], rowLabels: scores.rowLabels,
                   columnLabels: scores.columnLabels, values: Softmax.rows(of: scores.values), detail: .softmax)
    }

    /// Z = α·V: z_i = Σ_j α_ij v_j.
    static func context(_ head: Int, _ alpha: TraceEvent, _ v: Operand, name: String = "Z") -> TraceEvent {
        TraceEvent(stage: .context, head: head, name: name, formula: "\(name) = \(alpha.name)·\(v.name)",
                   operands: [alpha.asOperand, v], rowLabels: alpha.rowLabels, columnLabels: v.columnLabels,
                   values: alpha.values * v.matrix, detail: .product(rightTransposed: false, bias: nil))
    }

    /// [Z₀ | Z₁ | …].
    static func concat(_ contexts: [TraceEvent]) -> TraceEvent {
        let joined = Matrix.concatenatingColumns(contexts.map(\.values))
        return TraceEvent(stage: .concat, head: nil, name: "Z_concat",
                          formula: "Z_concat = [" + contexts.indices.map { "Z\(subscriptDigits($0))" }.joined(separator: " | ") + "]",
                          operands: contexts.map { Operand(name: "Z\(subscriptDigits($0.head ?? 0))", matrix: $0.values, rowLabels: $0.rowLabels, columnLabels: $0.columnLabels) },
                          rowLabels: contexts[0].rowLabels, columnLabels: (0..<joined.columns).map(String.init),
                          values: joined, detail: .concatenated)
    }

    /// O = Z_concat·W_O + b_O.
    static func output(_ joined: TraceEvent, _ o: AttentionSpec.OutputProjection) -> TraceEvent {
        return TraceEvent(
            stage: .output, head: nil, name: "O",
            formula: "O = \(joined.name)·W_O" + (o.b_O == nil ? "" : " + b_O"),
            operands: [Operand(name: joined.name, matrix: joined.values, rowLabels: joined.rowLabels, columnLabels: joined.columnLabels),
                       Operand(name: "W_O", matrix: o.W_O, rowLabels: dims(o.W_O.rows), columnLabels: dims(o.W_O.columns))],
            rowLabels: joined.rowLabels, columnLabels: dims(o.W_O.columns),
            values: joined.values.projected(o.W_O, o.b_O), detail: .product(rightTransposed: false, bias: o.b_O))
    }

    var asOperand: Operand {
        Operand(name: name, matrix: values, rowLabels: rowLabels, columnLabels: columnLabels)
    }
}

extension AttentionSpec.Mask {
    /// Whether query `i` is kept from looking at key `j`.
    public func hides(query i: Int, key j: Int) -> Bool {
        switch self {
        case .causal: return j > i
        case .padding(let padding): return padding[j]
        case .window(let w): return j > i || i - j >= w
        }
    }
}

/// The sinusoidal positional encoding of "Attention Is All You Need", one row per position p
/// (from 0): column 2i holds sin(p / 10000^(2i/d)) and column 2i+1 holds cos(p / 10000^(2i/d)).
public func sinusoidalEncoding(positions: Int, dimensions d: Int) -> Matrix {
    var pe = Matrix.zeros(positions, d)
    for p in 0..<positions {
        for c in 0..<d {
            let angle = Double(p) / pow(10000, Double(c - c % 2) / Double(d))
            pe[p, c] = c % 2 == 0 ? sin(angle) : cos(angle)
        }
    }
    return pe
}

func subscriptDigits(_ n: Int) -> String {
    let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    return String(String(n).map { digits[Int(String($0))!] })
}
