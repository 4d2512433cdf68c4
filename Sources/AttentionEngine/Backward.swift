/// The backward pass: from dO = ∂L/∂O, the gradient of some loss L with respect to the
/// layer's output, back to every weight and input, with the chain rule one stage at a time.
///
///     dV = αᵀ·dZ      dα = dZ·Vᵀ      dω_scaled = α ⊙ (dα − rowsum(α ⊙ dα))
///     dQ = dω_scaled·K / √d_k          dK = dω_scaledᵀ·Q / √d_k
///
/// A name dM is ∂L/∂M and has M's shape. Rows are tokens, as in the forward pass.
extension AttentionSpec {
    public struct Backward: Sendable {
        /// ∂L/∂O: (n, d_out) with W_O; without W_O it is ∂L/∂Z_concat (∂L/∂Z for one head).
        public var dO: Matrix
        public init(dO: Matrix) { self.dO = dO }
    }
}

extension AttentionSpec.Backward {
    /// The gradients, as events of stage `backward`, in the order they are computed:
    /// dO; dZ_concat, dW_O, db_O (with W_O); per head dZ, dV, dα, dω_scaled, dω, dQ, dK;
    /// then dW_Q, dW_K, dW_V, db_Q, db_K, db_V (with projections) and dX (and dX_source).
    func gradients(_ spec: AttentionSpec, _ x: Input, _ xKV: Input, _ Q: Projected, _ K: Projected, _ V: Projected,
                   _ forward: [[TraceEvent]], _ joined: TraceEvent, _ recording: Recording) throws(SpecError) -> [TraceEvent] {
        try validate(spec, recording)
        var events: [TraceEvent] = []
        // dO = ∂L/∂O, given                                              (n, d_out)
        let given = record(.givenGradient(dO, of: spec.output == nil ? joined.name : "O", spec.tokens), in: &events)
        // Output: dZ_concat = dO·W_Oᵀ, dW_O = Z_concatᵀ·dO, db_O = Σ_i dO_i
        //   (n, d_out)·(d_out, h·d_v) → (n, h·d_v);  (h·d_v, n)·(n, d_out) → (h·d_v, d_out)
        var dJoined = given                                              // ∂L/∂Z_concat
        if let o = spec.output {
            let W_O = Operand(name: "W_O", matrix: o.W_O, rowLabels: dims(o.W_O.rows), columnLabels: dims(o.W_O.columns))
            dJoined = record(.gradient("dZ_concat", head: nil, "dZ_concat = dO·W_Oᵀ", [given.asOperand, W_O],
                                       rows: spec.tokens, columns: joined.columnLabels,
                                       dO.timesTranspose(of: o.W_O), .products([ProductTerm(0, false, 1, true)], dK: nil)), in: &events)
            record(.gradient("dW_O", head: nil, "dW_O = \(joined.name)ᵀ·dO", [joined.asOperand, given.asOperand],
                             rows: W_O.rowLabels, columns: W_O.columnLabels,
                             joined.values.transposed * dO, .products([ProductTerm(0, true, 1, false)], dK: nil)), in: &events)
            if o.b_O != nil { record(.biasGradient("db_O", of: given.asOperand), in: &events) }
        }

        // Heads in parallel, each from its block of dZ_concat back to its dQ, dK, dV
        let dZ_concat = dJoined
        let heads = concurrentMap(spec.heads) { i in head(i, spec, Q, K, V, forward[i], dZ_concat) }
        events += heads.flatMap(\.events)

        // Projections: dW_Q = Xᵀ·dQ, db_Q = Σ_i dQ_i, dX = dQ·W_Qᵀ + dK·W_Kᵀ + dV·W_Vᵀ, with dQ = [dQ₀ | dQ₁ | …]
        events += projectionGradients(spec, x, xKV, heads.map(\.dQ), heads.map(\.dK), heads.map(\.dV))

        if let bad = events.first(where: { !$0.values.allFinite }) {
            throw SpecError("the gradient \(bad.name) overflows: some of its values are beyond the largest Double (about 1.8e308); "
                + "use smaller numbers in dO, the inputs or the weights", at: [.key("backward"), .key("dO")])
        }
        return events
    }

    /// Head `i`: from dZ (its block of dZ_concat) back through Z = α·V, the softmax, the scaling
    /// and ω = Q·Kᵀ. Returns its events and its dQ, dK, dV.
    func head(_ i: Int, _ spec: AttentionSpec, _ Q: Projected, _ K: Projected, _ V: Projected,
              _ forward: [TraceEvent], _ dJoined: TraceEvent) -> (events: [TraceEvent], dQ: Operand, dK: Operand, dV: Operand) {
        var events: [TraceEvent] = [], unused: [TraceEvent] = []
        let q = Q.head(i, of: spec.heads, recordingIn: &unused)        // (n, d_k)
        let k = K.head(i, of: spec.heads, recordingIn: &unused)        // (m, d_k)
        let v = V.head(i, of: spec.heads, recordingIn: &unused)        // (m, d_v)
        let α = forward.last { $0.stage == .normalization }!            // (n, m)
        let (dV_, dK_) = (spec.dV, spec.dK)
        // dZ: head i's columns of dZ_concat                              (n, d_v)
        let offset = i * dV_
        let dZ = record(.gradient("dZ", head: i, spec.heads == 1 ? "dZ = \(dJoined.name)" : "dZ = \(dJoined.name)[:, \(offset)…\(offset + dV_ - 1)]",
                                  [dJoined.asOperand], rows: dJoined.rowLabels, columns: v.columnLabels,
                                  dJoined.values.columns(offset..<(offset + dV_)), .block(offset: offset)), in: &events)
        // Context: dV = αᵀ·dZ                      (m, n)·(n, d_v) → (m, d_v)
        let dV = record(.gradient("dV", head: i, "dV = αᵀ·dZ", [α.asOperand, dZ.asOperand], rows: v.rowLabels, columns: v.columnLabels,
                                  α.values.transposed * dZ.values, .products([ProductTerm(0, true, 1, false)], dK: nil)), in: &events)
        //          dα = dZ·Vᵀ                      (n, d_v)·(d_v, m) → (n, m)
        let dα = record(.gradient("dα", head: i, "dα = dZ·\(v.name)ᵀ", [dZ.asOperand, v], rows: α.rowLabels, columns: α.columnLabels,
                                  dZ.values.timesTranspose(of: v.matrix), .products([ProductTerm(0, false, 1, true)], dK: nil)), in: &events)
        // Softmax: dω_scaled = α ⊙ (dα − rowsum(α ⊙ dα)), exactly 0 where masked   (n, m)
        let scores = spec.scale ? "dω_scaled" : "dω"
        let dS = record(.gradient(scores, head: i, "\(scores) = α ⊙ (dα − Σ_k α_k·dα_k), row by row" + (spec.mask == nil ? "" : "; 0 where masked"),
                                  [α.asOperand, dα.asOperand], rows: α.rowLabels, columns: α.columnLabels,
                                  SoftmaxBackwardRow.rows(α.values, dα.values, mask: spec.mask), .softmax(mask: spec.mask)), in: &events)
        // Scaling: dω = dω_scaled / √d_k                                 (n, m)
        if spec.scale { record(.gradientScaling(i, dS, dK: dK_), in: &events) }
        // Similarity: dQ = dω_scaled·K / √d_k      (n, m)·(m, d_k) → (n, d_k)
        //             dK = dω_scaledᵀ·Q / √d_k     (m, n)·(n, d_k) → (m, d_k)
        let root = spec.scale ? Double(dK_).squareRoot() : 1, scaled = spec.scale ? " / √d_k" : ""
        let dQ = record(.gradient("dQ", head: i, "dQ = \(scores)·\(k.name)\(scaled)", [dS.asOperand, k], rows: q.rowLabels, columns: q.columnLabels,
                                  (dS.values * k.matrix).map { $0 / root }, .products([ProductTerm(0, false, 1, false)], dK: spec.scale ? dK_ : nil)), in: &events)
        let dK = record(.gradient("dK", head: i, "dK = \(scores)ᵀ·\(q.name)\(scaled)", [dS.asOperand, q], rows: k.rowLabels, columns: k.columnLabels,
                                  (dS.values.transposed * q.matrix).map { $0 / root }, .products([ProductTerm(0, true, 1, false)], dK: spec.scale ? dK_ : nil)), in: &events)
        let name = spec.heads == 1 ? "" : subscriptDigits(i)
        func named(_ e: TraceEvent) -> Operand { Operand(name: e.name + name, matrix: e.values, rowLabels: e.rowLabels, columnLabels: e.columnLabels) }
        return (events, named(dQ), named(dK), named(dV))
    }

    /// The weights' and inputs' gradients from every head's dQ, dK, dV.
    func projectionGradients(_ spec: AttentionSpec, _ x: Input, _ xKV: Input,
                             _ dQ: [Operand], _ dK: [Operand], _ dV: [Operand]) -> [TraceEvent] {
        var events: [TraceEvent] = []
        let cross = spec.source != nil
        // With sinusoidal positions, X_pos = X + PE and PE is constant: ∂L/∂X = ∂L/∂X_pos.
        let positions = spec.positional == nil ? "" : "  (PE is constant: ∂L/∂X = ∂L/∂X_pos)"
        guard let p = spec.projection else {
            // Without projections Q, K and V are X's column blocks: each head's dQ, dK, dV
            // flow back into its block.                                  (n, d_model)
            let width = spec.dK, offsets = (0..<spec.heads).map { $0 * width }
            let queries = zip(dQ, offsets).map { ($0, $1) }, keys = zip(dK, offsets).map { ($0, $1) } + zip(dV, offsets).map { ($0, $1) }
            func sum(_ name: String, _ parts: [(Operand, Int)], _ rows: [String]) -> TraceEvent {
                let sorted = parts.sorted { $0.1 < $1.1 }
                var total = Matrix.zeros(rows.count, spec.dModel)
                for (g, offset) in sorted { for r in 0..<g.matrix.rows { for c in 0..<g.matrix.columns { total[r, c + offset] += g.matrix[r, c] } } }
                let formula = spec.heads == 1 ? sorted.map(\.0.name).joined(separator: " + ")
                                              : "[" + (0..<spec.heads).map { h in sorted.filter { $0.1 == offsets[h] }.map(\.0.name).joined(separator: " + ") }.joined(separator: " | ") + "]"
                return .gradient(name, head: nil, "\(name) = \(formula)\(positions)", sorted.map(\.0), rows: rows, columns: dims(spec.dModel),
                                 total, .blocks(offsets: sorted.map(\.1)))
            }
            events.append(cross ? sum("dX", queries, spec.tokens) : sum("dX", queries + keys, spec.tokens))
            if cross { events.append(sum("dX_source", keys, spec.keyTokens)) }
            return events
        }
        // All heads side by side: dQ = [dQ₀ | dQ₁ | …]                    (n, h·d_k)
        func joined(_ parts: [Operand], _ name: String) -> Operand {
            let m = Matrix.concatenatingColumns(parts.map(\.matrix))
            return Operand(name: name, matrix: m, rowLabels: parts[0].rowLabels, columnLabels: dims(m.columns))
        }
        func every(_ g: Operand) -> String {
            spec.heads == 1 ? "" : ",  \(g.name) = [\(g.name)₀ | … | \(g.name)\(subscriptDigits(spec.heads - 1))], every head"
        }
        let (gQ, gK, gV) = (joined(dQ, "dQ"), joined(dK, "dK"), joined(dV, "dV"))
        let (xQ, xKV) = (Operand(name: x.name, matrix: x.X, rowLabels: x.tokens, columnLabels: dims(x.X.columns)),
                         Operand(name: xKV.name, matrix: xKV.X, rowLabels: xKV.tokens, columnLabels: dims(xKV.X.columns)))
        func weight(_ name: String, _ W: Matrix) -> Operand { Operand(name: name, matrix: W, rowLabels: dims(W.rows), columnLabels: dims(W.columns)) }
        let (W_Q, W_K, W_V) = (weight("W_Q", p.W_Q), weight("W_K", p.W_K), weight("W_V", p.W_V))
        // dW_Q = Xᵀ·dQ                              (d_model, n)·(n, h·d_k) → (d_model, h·d_k)
        for (W, input, g) in [(W_Q, xQ, gQ), (W_K, xKV, gK), (W_V, xKV, gV)] {
            events.append(.gradient("d" + W.name, head: nil, "d\(W.name) = \(input.name)ᵀ·\(g.name)" + every(g),
                                    [input, g], rows: W.rowLabels, columns: W.columnLabels,
                                    input.matrix.transposed * g.matrix, .products([ProductTerm(0, true, 1, false)], dK: nil)))
        }
        // db_Q = Σ_i dQ_i                                                  (1, h·d_k)
        for (b, g) in [(p.b_Q, gQ), (p.b_K, gK), (p.b_V, gV)] where b != nil {
            events.append(.biasGradient("db_" + g.name.dropFirst(), of: g))
        }
        // dX = dQ·W_Qᵀ + dK·W_Kᵀ + dV·W_Vᵀ          (n, h·d_k)·(h·d_k, d_model) + … → (n, d_model)
        // (cross-attention: dX = dQ·W_Qᵀ, dX_source = dK·W_Kᵀ + dV·W_Vᵀ)
        func input(_ name: String, _ parts: [(Operand, Operand)], _ rows: [String]) -> TraceEvent {
            let total = parts.map { $0.0.matrix.timesTranspose(of: $0.1.matrix) }.reduce(Matrix.zeros(rows.count, spec.dModel), +)
            return .gradient(name, head: nil, "\(name) = " + parts.map { "\($0.0.name)·\($0.1.name)ᵀ" }.joined(separator: " + ") + positions,
                             parts.flatMap { [$0.0, $0.1] }, rows: rows, columns: dims(spec.dModel), total,
                             .products(parts.indices.map { ProductTerm(2 * $0, false, 2 * $0 + 1, true) }, dK: nil))
        }
        if cross {
            events.append(input("dX", [(gQ, W_Q)], spec.tokens))
            events.append(input("dX_source", [(gK, W_K), (gV, W_V)], spec.keyTokens))
        } else {
            events.append(input("dX", [(gQ, W_Q), (gK, W_K), (gV, W_V)], spec.tokens))
        }
        return events
    }

    /// dO must have the output's shape and finite values.
    func validate(_ spec: AttentionSpec, _ recording: Recording) throws(SpecError) {
        // The backward pass reads every row of the forward pass's α, K, V and Q, as the plain
        // pass records them: the variants that record other events are not differentiated here.
        let variants = [(spec.kvHeads.map { $0 != spec.heads } ?? false, "kv_heads"), (spec.rotary != nil, "positional: rope"),
                        (spec.decode != nil, "decode"), (spec.tiles != nil, "tiles")]
        if let (_, name) = variants.first(where: { $0.0 }) {
            throw SpecError("backward works with the plain forward pass, not with \(name): leave one of them out", at: [.key("backward")])
        }
        if recording.keep == .focus {
            throw SpecError("backward needs every row of the forward pass: trace it with --keep all (the default), not --keep focus", at: [.key("backward")])
        }
        let (n, width) = (spec.tokens.count, spec.output?.W_O.columns ?? spec.heads * spec.dV)
        let output = spec.output != nil ? "O" : spec.heads > 1 ? "Z_concat" : "Z"
        if dO.rows != n || dO.columns != width {
            throw SpecError("backward.dO is \(dO.rows) × \(dO.columns) but the output \(output) is \(n) × \(width): dO holds ∂L/∂\(output), one number for each number of \(output)",
                            at: [.key("backward"), .key("dO")])
        }
        if let index = dO.storage.firstIndex(where: { !$0.isFinite }) {
            let (i, j) = (index / dO.columns, index % dO.columns)
            throw SpecError("backward.dO[\(i)][\(j)] is \(dO.storage[index]): every value must be a finite number",
                            at: [.key("backward"), .key("dO"), .index(i), .index(j)])
        }
    }
}

extension TraceEvent {
    /// db = Σ_i d·_i: a bias is added to every row, so its gradient adds up the rows.   (1, width)
    static func biasGradient(_ name: String, of g: Operand) -> TraceEvent {
        var sums = Matrix.zeros(1, g.matrix.columns)
        for i in 0..<g.matrix.rows { for j in 0..<g.matrix.columns { sums[0, j] += g.matrix[i, j] } }
        return .gradient(name, head: nil, "\(name) = Σ_i \(g.name)[i, :]", [g], rows: ["Σ"], columns: g.columnLabels, sums, .columnSum)
    }
}
