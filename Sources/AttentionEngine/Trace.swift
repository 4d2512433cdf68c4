/// The stages of attention, in the order the trace records them. Raw values are the
/// names used in the JSON trace format (docs/trace-format.md).
public enum Stage: String, CaseIterable, Sendable, Codable {
    case input, positional, projection, rotary, similarity, scaling, masking, normalization, tiling, decoding
    /// Dropout on α, when the spec asks for it (Dropout.swift).
    case dropout
    case context, concat, output
    /// Gradients, after the forward stages, when the spec asks for them (Backward.swift).
    case backward
}

/// A named matrix an event was computed from, with its labels.
public struct Operand: Sendable {
    public let name: String
    public let matrix: Matrix
    public let rowLabels: [String]
    public let columnLabels: [String]
}

/// One recorded step of the forward pass: what was computed, from what, and the result.
public struct TraceEvent: Sendable {
    public let stage: Stage
    /// The head this event belongs to (0-based), or nil for events before the heads split
    /// (input, positional) and after they join (concat, output).
    public let head: Int?
    /// Q, K, V, ω, α, Z, …
    public let name: String
    /// The formula in plain Unicode, e.g. `ω = Q·Kᵀ`.
    public let formula: String
    public let operands: [Operand]
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let values: Matrix
    /// What explain(row:column:) needs beyond the operands.
    let detail: Detail
    /// With `--keep focus`: the rows kept, out of the full matrix (nil: every row is kept).
    public internal(set) var kept: KeptRows?
    /// A decode step's events: the token (row of the full Z) the step computes.
    public internal(set) var decodeToken: Int?

    enum Detail: Sendable {
        case none
        /// values = left·right (+ bias): left is operands[0], right is operands[1] (or its transpose).
        case product(rightTransposed: Bool, bias: [Double]?)
        /// values = operands[0] / √dK
        case scaled(dK: Int)
        /// values = operands[0] with −∞ where masked
        case masked(AttentionSpec.Mask)
        /// values = row softmax of operands[0]
        case softmax
        /// values = operands[0] / (1 − p) where operands[1] (keep) is 1, else 0
        case dropout(p: Double)
        /// values = X + PE, operands[0] = X, operands[1] = PE
        case positional
        /// values = [Z₀ | Z₁ | …], operands = the heads' Z in order
        case concatenated
        /// A gradient of the backward pass (BackwardStages.swift).
        case gradient(GradientDetail)
        /// values = operands[0] with each pair of columns turned by p·θ_i (RoPE)
        case rotated(AttentionSpec.Rotary)
        /// values = one decode step's new cache row [k | v]; `keyName` names K (or K_rot)
        case cacheRow(keyName: String, valueName: String, dK: Int)
        /// values = rows gathered from other events: row i comes from `rowSources[i]`
        case stacked(rowSources: [String])
        /// values = the running statistics of the online softmax, one row per key tile
        case online([OnlineStep])
        /// values = the running output o, one row per key tile; operands[0] = V
        case runningOutput([OnlineStep])
        /// values = o / ℓ per row, after the last tile
        case tiledContext(o: Matrix, sums: [Double])
    }

    init(stage: Stage, head: Int?, name: String, formula: String, operands: [Operand],
         rowLabels: [String], columnLabels: [String], values: Matrix, detail: Detail) {
        (self.stage, self.head, self.name, self.formula, self.operands) = (stage, head, name, formula, operands)
        (self.rowLabels, self.columnLabels, self.values, self.detail) = (rowLabels, columnLabels, values, detail)
    }

    /// The shape of the result, e.g. `(3×3)`; with kept rows, the shape of the full matrix.
    public var shape: Shape { kept?.shape ?? values.shape }

    /// The shape line a student reads: `(3×4)·(4×3) → (3×3)`.
    public var shapeSummary: String {
        switch detail {
        case .product(let transposed, _):
            let right = transposed ? Shape(rows: operands[1].matrix.columns, columns: operands[1].matrix.rows)
                                   : operands[1].matrix.shape
            return "\(operands[0].matrix.shape)·\(right) → \(shape)"
        case .concatenated:
            return operands.map { $0.matrix.shape.description }.joined(separator: " | ") + " → \(shape)"
        case .none:
            return shape.description
        case .gradient(let g):
            return g.shapeSummary(operands, shape)
        default:
            if operands.isEmpty { return shape.description }
            return "\(operands[0].matrix.shape) → \(shape)"
        }
    }
}

/// The result of a forward pass and every step that made it.
public struct Trace: Sendable {
    public let events: [TraceEvent]
    /// The final matrix: O when there is an output projection, else the (concatenated) Z.
    public var output: Matrix { events.last!.values }

    /// The events of one stage, in order (all heads).
    public func events(_ stage: Stage) -> [TraceEvent] { events.filter { $0.stage == stage } }

    /// The event called `name` for `head` (nil: the head-less event, or head 0 if only headed events exist).
    public func event(named name: String, head: Int? = nil) -> TraceEvent? {
        if let head { return events.first { $0.name == name && $0.head == head } }
        return events.first { $0.name == name && $0.head == nil } ?? events.first { $0.name == name }
    }
}
