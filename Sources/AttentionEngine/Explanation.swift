import Foundation

/// How one number of a trace was made, in terms a student can redo by hand.
public enum CellExplanation: Sendable, Equatable {
    /// A given input value.
    case given(value: Double)
    /// Σ_k a_k·b_k (+ bias): a projection, a score ω_ij = q_i·k_j, or an output.
    case dotProduct(DotProduct)
    /// x + PE[p, c] with the sinusoid that made PE[p, c].
    case positional(x: Double, position: Int, column: Int, angle: Double, usesSine: Bool, encoding: Double, result: Double)
    /// ω / √d_k.
    case scaled(score: Double, dK: Int, divisor: Double, result: Double)
    /// A score the mask replaced by −∞, and why.
    case masked(score: Double, reason: MaskReason)
    /// A score the mask left alone.
    case unmasked(score: Double)
    /// α_ij from its row's stable softmax.
    case softmax(row: Softmax.RowWork, column: Int, result: Double)
    /// α_dropout[i, j]: α[i, j] / (1 − p) when kept, 0 when dropped.
    case dropout(weight: Double, kept: Bool, p: Double, result: Double)
    /// z_ij = Σ_k α_ik·v_kj: weights times one column of V.
    case weightedSum(DotProduct)
    /// A number copied from head `head`'s Z, column `column`.
    case copied(head: Int, column: Int, value: Double)
    /// A gradient of the backward pass (BackwardStages.swift).
    case gradient(GradientExplanation)
    /// One number of a pair turned by RoPE.
    case rotated(RotatedCell)
    /// A number copied from another event: `source` names it, e.g. `K[am, 1]` or `z_t[good, 0]`.
    case gathered(source: String, value: Double)
    /// One statistic of the online softmax after a key tile.
    case online(step: OnlineStep, quantity: OnlineStep.Quantity, result: Double)
    /// z = o / ℓ after the last tile.
    case divided(numerator: Double, denominator: Double, result: Double)

    public enum MaskReason: Sendable, Equatable {
        /// key > query: a causal mask hides the future.
        case causal(query: Int, key: Int)
        /// The key is padding.
        case padding(key: Int)
        /// query − key ≥ width: the key is before the sliding window.
        case window(query: Int, key: Int, width: Int)
    }
}

/// The terms of a dot product, in order, with their running sums.
public struct DotProduct: Sendable, Equatable {
    /// Labels of the two vectors, e.g. ("q_am", "k_good").
    public let left: String
    public let right: String
    /// Labels of the terms (the index k of each product).
    public let termLabels: [String]
    public let a: [Double]
    public let b: [Double]
    public let bias: Double?
    /// The value stored in the trace: the last partial sum exactly for a lesson's products
    /// (`Matrix.textbookProductLimit`), equal to it up to rounding for big ones (BLAS).
    public let result: Double

    public init(left: String, right: String, termLabels: [String], a: [Double], b: [Double], bias: Double?, result: Double) {
        (self.left, self.right, self.termLabels, self.a, self.b, self.bias, self.result) = (left, right, termLabels, a, b, bias, result)
    }

    public var products: [Double] { zip(a, b).map { $0 * $1 } }

    /// Running sums: partialSums[k] = Σ_{t ≤ k} a_t·b_t, then + bias.
    public var partialSums: [Double] {
        var running = 0.0
        var sums = products.map { running += $0; return running }
        if let bias { sums.append(running + bias) }
        return sums
    }
}

extension TraceEvent {
    /// How values[row, column] was made.
    /// `i` counts the rows of `values` (with kept rows, `globalRow(i)` is its row in the full matrix).
    public func explain(row i: Int, column j: Int) -> CellExplanation {
        precondition(i >= 0 && i < values.rows && j >= 0 && j < values.columns, "cell (\(i), \(j)) is outside \(values.shape)")
        let value = values[i, j]
        switch detail {
        case .none:
            return .given(value: value)
        case .positional:
            let d = values.columns
            let angle = Double(globalRow(i)) / pow10000(Double(j - j % 2) / Double(d))
            return .positional(x: operands[0].matrix[i, j], position: globalRow(i), column: j, angle: angle,
                               usesSine: j % 2 == 0, encoding: operands[1].matrix[i, j], result: value)
        case .product(let transposed, let bias):
            let (left, right) = (operands[0], operands[1])
            let b = transposed ? Array(right.matrix.row(j)) : right.matrix.column(j)
            // Rows of Kᵀ are rows of K (k_j); otherwise the right vector is a column (W_Q[:, j]).
            let rightLabel = transposed ? right.rowLabels[j] : ":, " + right.columnLabels[j]
            let product = DotProduct(
                left: "\(left.name)[\(left.rowLabels[i])]", right: "\(right.name)[\(rightLabel)]",
                termLabels: transposed ? left.columnLabels : right.rowLabels,
                a: Array(left.matrix.row(i)), b: b, bias: bias?[j], result: value)
            return left.name.hasPrefix("α") ? .weightedSum(product) : .dotProduct(product)
        case .scaled(let dK):
            return .scaled(score: operands[0].matrix[i, j], dK: dK, divisor: Double(dK).squareRoot(), result: value)
        case .masked(let mask):
            let score = operands[0].matrix[i, j]
            guard let reason = mask.reason(query: globalRow(i), key: j) else { return .unmasked(score: score) }
            return .masked(score: score, reason: reason)
        case .softmax:
            return .softmax(row: Softmax.work(Array(operands[0].matrix.row(i))), column: j, result: value)
        case .dropout(let p):
            return .dropout(weight: operands[0].matrix[i, j], kept: operands[1].matrix[i, j] == 1, p: p, result: value)
        case .concatenated:
            var column = j
            for (head, part) in operands.enumerated() {
                if column < part.matrix.columns { return .copied(head: head, column: column, value: value) }
                column -= part.matrix.columns
            }
            preconditionFailure("column \(j) is outside the concatenation")
        case .gradient(let g):
            return .gradient(g.explain(operands, row: i, column: j, result: value))
        case .rotated(let rope):
            return .rotated(RotatedCell(rope, operands[0].matrix.row(i), position: globalRow(i), column: j, result: value))
        case .cacheRow(let keyName, let valueName, let dK):
            let token = rowLabels[i]
            return .gathered(source: j < dK ? "\(keyName)[\(token), \(j)]" : "\(valueName)[\(token), \(j - dK)]", value: value)
        case .stacked(let sources):
            return .gathered(source: "\(sources[i])[\(rowLabels[i]), \(columnLabels[j])]", value: value)
        case .online(let steps):
            return .online(step: steps[i], quantity: OnlineStep.Quantity.allCases[j], result: value)
        case .runningOutput(let steps):
            return .dotProduct(steps[i].output(column: j, V: operands[0], previous: i == 0 ? 0 : values[i - 1, j], result: value))
        case .tiledContext(let o, let sums):
            return .divided(numerator: o[i, j], denominator: sums[i], result: value)
        }
    }

    /// The context vector z_i as a weighted sum of value rows: [(α_ij, label_j, v_j)].
    /// Only for `context` events.
    public func weightedRows(of i: Int) -> [(weight: Double, label: String, row: [Double])]? {
        guard case .product = detail, operands[0].name.hasPrefix("α") else { return nil }
        let (alpha, v) = (operands[0], operands[1])
        return (0..<alpha.matrix.columns).map { j in (alpha.matrix[i, j], v.rowLabels[j], Array(v.matrix.row(j))) }
    }
}

private func pow10000(_ exponent: Double) -> Double {
    Foundation.pow(10000, exponent)
}
