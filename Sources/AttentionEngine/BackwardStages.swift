/// How each gradient of the backward pass is made and how one of its cells explains itself.
/// The pass itself, in order, is in Backward.swift.

/// A gradient event's recipe: what `values` is, in terms of the event's operands.
enum GradientDetail: Sendable {
    /// values = Σ_t left_t·right_t, divided by √d_k when `dK` is set: each term is a product
    /// of two operands, either of them transposed (dV = αᵀ·dZ, dX = dQ·W_Qᵀ + dK·W_Kᵀ + dV·W_Vᵀ).
    case products([ProductTerm], dK: Int?)
    /// values_ij = α_ij·(dα_ij − Σ_k α_ik·dα_ik), operands [α, dα]: the softmax backward.
    /// Exactly 0 where `mask` hides key j (α_ij = 0 there, and no gradient flows through −∞).
    case softmax(mask: AttentionSpec.Mask?)
    /// values_0j = Σ_i operands[0]_ij: a bias's gradient, the column sums of its output's gradient.
    case columnSum
    /// values_ij = operands[0]_{i, offset + j}: one head's block of columns.
    case block(offset: Int)
    /// values_ic = Σ_t operands[t]_{i, c − offsets[t]}, over the operands whose columns hold c:
    /// without projections, each head's dQ, dK and dV flow back into its block of X's columns.
    case blocks(offsets: [Int])
}

/// left·right with operands[left] and operands[right], either one transposed.
struct ProductTerm: Sendable {
    let left: Int
    let leftTransposed: Bool
    let right: Int
    let rightTransposed: Bool
    init(_ left: Int, _ leftTransposed: Bool, _ right: Int, _ rightTransposed: Bool) {
        (self.left, self.leftTransposed, self.right, self.rightTransposed) = (left, leftTransposed, right, rightTransposed)
    }
}

/// How one cell of a gradient was made.
public enum GradientExplanation: Sendable, Equatable {
    /// A sum of dot products (usually one), divided by √d_k when `dK` is set.
    case products([DotProduct], dK: Int?, result: Double)
    /// One cell of the softmax backward, with the whole row's pieces.
    case softmax(row: SoftmaxBackwardRow, column: Int, result: Double)
    /// A sum of labelled numbers: a bias gradient (a column added up), or the heads' blocks
    /// flowing back into one column of X.
    case sum(terms: [LabelledValue], result: Double)
    /// A number copied from another gradient, e.g. head 1's dZ from dZ_concat.
    case copied(from: String, value: Double)
}

public struct LabelledValue: Sendable, Equatable {
    public let label: String
    public let value: Double
}

/// The softmax backward of one row: ∂L/∂s_j = α_j·(dα_j − Σ_k α_k·dα_k).
public struct SoftmaxBackwardRow: Sendable, Equatable {
    public let alpha: [Double]
    public let dAlpha: [Double]
    /// Σ_k α_k·dα_k, summed left to right: the weighted average of dα.
    public let rowSum: Double
    /// Keys the mask hides: their term is exactly 0.
    public let masked: [Bool]
    /// α_j·(dα_j − rowSum), 0 where masked.
    public let terms: [Double]
    public var products: [Double] { zip(alpha, dAlpha).map { $0 * $1 } }

    init(alpha: [Double], dAlpha: [Double], masked: [Bool]) {
        var sum = 0.0
        for (a, d) in zip(alpha, dAlpha) { sum += a * d }
        (self.alpha, self.dAlpha, self.rowSum, self.masked) = (alpha, dAlpha, sum, masked)
        terms = alpha.indices.map { masked[$0] ? 0 : alpha[$0] * (dAlpha[$0] - sum) }
    }

    /// The softmax backward of every row of α: (n, m), (n, m) → (n, m).
    static func rows(_ α: Matrix, _ dα: Matrix, mask: AttentionSpec.Mask?) -> Matrix {
        var out = Matrix.zeros(α.rows, α.columns)
        for i in 0..<α.rows {
            let row = SoftmaxBackwardRow(alpha: Array(α.row(i)), dAlpha: Array(dα.row(i)),
                                         masked: (0..<α.columns).map { mask?.hides(query: i, key: $0) ?? false })
            for j in 0..<α.columns { out[i, j] = row.terms[j] }
        }
        return out
    }
}

extension GradientDetail {
    func explain(_ operands: [Operand], row i: Int, column j: Int, result: Double) -> GradientExplanation {
        switch self {
        case .products(let terms, let dK):
            return .products(terms.map { $0.dotProduct(operands, row: i, column: j, single: terms.count == 1 && dK == nil ? result : nil) },
                             dK: dK, result: result)
        case .softmax(let mask):
            let (α, dα) = (operands[0].matrix, operands[1].matrix)
            let row = SoftmaxBackwardRow(alpha: Array(α.row(i)), dAlpha: Array(dα.row(i)),
                                         masked: (0..<α.columns).map { mask?.hides(query: i, key: $0) ?? false })
            return .softmax(row: row, column: j, result: result)
        case .columnSum:
            let g = operands[0]
            return .sum(terms: (0..<g.matrix.rows).map { LabelledValue(label: "\(g.name)[\(g.rowLabels[$0]), \(g.columnLabels[j])]", value: g.matrix[$0, j]) },
                        result: result)
        case .block(let offset):
            let g = operands[0]
            return .copied(from: "\(g.name)[\(g.rowLabels[i]), \(g.columnLabels[offset + j])]", value: result)
        case .blocks(let offsets):
            let terms = zip(operands, offsets).compactMap { g, offset -> LabelledValue? in
                guard (offset..<(offset + g.matrix.columns)).contains(j) else { return nil }
                return LabelledValue(label: "\(g.name)[\(g.rowLabels[i]), \(g.columnLabels[j - offset])]", value: g.matrix[i, j - offset])
            }
            return .sum(terms: terms, result: result)
        }
    }

    func shapeSummary(_ operands: [Operand], _ shape: Shape) -> String {
        func transposed(_ s: Shape, _ t: Bool) -> Shape { t ? Shape(rows: s.columns, columns: s.rows) : s }
        switch self {
        case .products(let terms, _):
            return terms.map { "\(transposed(operands[$0.left].matrix.shape, $0.leftTransposed))·\(transposed(operands[$0.right].matrix.shape, $0.rightTransposed))" }
                .joined(separator: " + ") + " → \(shape)"
        case .softmax, .blocks:
            return operands.map(\.matrix.shape.description).joined(separator: ", ") + " → \(shape)"
        case .columnSum, .block:
            return "\(operands[0].matrix.shape) → \(shape)"
        }
    }
}

extension ProductTerm {
    /// Row i of the left factor (column i when it is transposed) and column j of the right
    /// one (row j when transposed), labelled as the forward dot products are: `dω_scaled[am]`,
    /// `K[:, 0]`. `single`: the event's value, when this dot product alone makes it.
    func dotProduct(_ operands: [Operand], row i: Int, column j: Int, single: Double?) -> DotProduct {
        let (L, R) = (operands[left], operands[right])
        let a = leftTransposed ? L.matrix.column(i) : Array(L.matrix.row(i))
        let b = rightTransposed ? Array(R.matrix.row(j)) : R.matrix.column(j)
        var sum = 0.0
        for (x, y) in zip(a, b) { sum += x * y }
        return DotProduct(
            left: leftTransposed ? "\(L.name)[:, \(L.columnLabels[i])]" : "\(L.name)[\(L.rowLabels[i])]",
            right: rightTransposed ? "\(R.name)[\(R.rowLabels[j])]" : "\(R.name)[:, \(R.columnLabels[j])]",
            termLabels: leftTransposed ? L.rowLabels : L.columnLabels,
            a: a, b: b, bias: nil, result: single ?? sum)
    }
}

extension TraceEvent {
    /// A gradient: stage `backward`.
    static func gradient(_ name: String, head: Int?, _ formula: String, _ operands: [Operand],
                         rows: [String], columns: [String], _ values: Matrix, _ detail: GradientDetail) -> TraceEvent {
        TraceEvent(stage: .backward, head: head, name: name, formula: formula, operands: operands,
                   rowLabels: rows, columnLabels: columns, values: values, detail: .gradient(detail))
    }

    /// ∂L/∂s, the scores' gradient divided by √d_k: dω = dω_scaled / √d_k.
    static func gradientScaling(_ head: Int, _ dScaled: TraceEvent, dK: Int) -> TraceEvent {
        let root = Double(dK).squareRoot()
        return TraceEvent(stage: .backward, head: head, name: "dω", formula: "dω = dω_scaled / √d_k,  d_k = \(dK)",
                          operands: [dScaled.asOperand], rowLabels: dScaled.rowLabels, columnLabels: dScaled.columnLabels,
                          values: dScaled.values.map { $0 / root }, detail: .scaled(dK: dK))
    }

    /// The given gradient dO = ∂L/∂O (or ∂L/∂Z without W_O).
    static func givenGradient(_ dO: Matrix, of output: String, _ rows: [String]) -> TraceEvent {
        TraceEvent(stage: .backward, head: nil, name: "dO", formula: "dO = ∂L/∂\(output) (given)", operands: [],
                   rowLabels: rows, columnLabels: dims(dO.columns), values: dO, detail: .none)
    }
}
