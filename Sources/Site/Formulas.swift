import AttentionEngine
import Lessons

/// The formula shown for each stage, in the documented TeX subset, in both notations.
enum Formulas {
    static func tex(_ event: TraceEvent, _ notation: AttentionBlock.Notation, spec: AttentionSpec) -> [String] {
        let name = event.name
        switch (event.stage, notation) {
        case (.input, _):
            return []
        case (.positional, _):
            return [name == "X_pos" ? "X_{\\text{pos}} = X + PE" : "X_{\\text{src,pos}} = X_{\\text{src}} + PE",
                    "PE_{p,2i} = \\operatorname{sin}\\left(\\frac{p}{10000^{2i/d}}\\right), \\quad PE_{p,2i+1} = \\operatorname{cos}\\left(\\frac{p}{10000^{2i/d}}\\right)"]
        case (.projection, .row):
            let bias = spec.projection.map { p in [p.b_Q, p.b_K, p.b_V][["Q", "K", "V"].firstIndex(of: name)!] != nil } ?? false
            // With several heads, head r's block: Q_r = X W_{Q,r} (the glossary's names).
            let r = head(event, spec).map { ",\($0)" } ?? ""
            return ["\(name)\(head(event, spec).map { "_{\($0)}" } ?? "") = \(input(event)) W_{\(name)\(r)}" + (bias ? " + b_{\(name)\(r)}" : "")]
        case (.projection, .column):
            let lower = name.lowercased()
            return ["\(lower)^{(i)} = U_\(lower) x^{(i)}", "U_\(lower) = W_\(name)^\\top"]
        case (.similarity, .row):
            // The operands' own names: without projections the scores are X·Xᵀ.
            let (q, k) = (operand(event, 0, "Q"), operand(event, 1, "K"))
            return ["\(headed("\\omega", event, spec)) = \(headed(tex(q), event, spec)) \(headed(tex(k), event, spec))^\\top"]
                + (vector(q).flatMap { q in vector(k).map { k in ["\\omega_{ij} = \(q)_i \\cdot \(k)_j"] } } ?? [])
        case (.similarity, .column):
            let (q, k) = (operand(event, 0, "Q"), operand(event, 1, "K"))
            guard let qv = vector(q), let kv = vector(k) else { return ["\\omega = \(tex(q)) \(tex(k))^\\top"] }
            return ["\\omega_{ij} = \(qv)^{(i)\\top} \(kv)^{(j)}"]
        case (.scaling, _):
            return ["\(cell(name)) = \\frac{\(cell(operand(event, 0, "ω")))}{\\sqrt{d_k}}", "d_k = \(spec.dK)"]
        case (.masking, _):
            // ω_masked: the scores it receives (ω_scaled, or ω unscaled), with −∞ where hidden.
            let (masked, scores) = (cell(name), cell(operand(event, 0, "ω_scaled")))
            switch spec.mask {
            case .causal: return ["\(masked) = -\\infty \\text{ if } j > i, \\text{ else } \(scores)"]
            case .window: return ["\(masked) = -\\infty \\text{ if } j > i \\text{ or } i - j \\geq w, \\text{ else } \(scores)", "w = \\text{\(windowWidth(spec))}"]
            default: return ["\(masked) = -\\infty \\text{ if key } j \\text{ is padding, else } \(scores)"]
            }
        case (.normalization, _):
            // s: the scores the softmax receives (the glossary's s_ij), named after the operand.
            let scores = operand(event, 0, "ω")
            return ["\\alpha_{ij} = \\frac{\\exp(s_{ij} - m_i)}{\\sum_{j'} \\exp(s_{ij'} - m_i)}", "m_i = \\max_j s_{ij}", "s_{ij} = \(cell(scores))"]
        case (.context, _) where event.name == "Z" && event.operands.isEmpty:
            return spec.tiles != nil ? ["z_i = o_i / \\ell_i"] : ["Z = [Z_{\\text{prefill}}; z_p; \\ldots; z_{n-1}]"]
        case (.dropout, _):
            return ["\\alpha_{\\text{dropout},ij} = \\frac{\\alpha_{ij}}{1 - p} \\text{ if kept, } 0 \\text{ if dropped}", "p = " + (spec.dropout.map { String($0.p) } ?? "0")]
        case (.context, .row):
            let v = operand(event, 1, "V")
            return ["\(headed("Z", event, spec)) = \(headed("\\alpha", event, spec)) \(headed(tex(v), event, spec))"] + (vector(v).map { ["z_i = \\sum_j \\alpha_{ij} \($0)_j"] } ?? [])
        case (.context, .column):
            let v = operand(event, 1, "V")
            guard let vv = vector(v) else { return ["Z = \\alpha \(tex(v))"] }
            return ["z^{(i)} = \\sum_j \\alpha_{ij} \(vv)^{(j)}"]
        case (.rotary, _):
            let pair = spec.rotary?.pairing == .half ? "(x_i, x_{i + d/2})" : "(x_{2i}, x_{2i+1})"
            return ["\(pair) \\leftarrow (x \\operatorname{cos} p\\theta_i - y \\operatorname{sin} p\\theta_i, \\; x \\operatorname{sin} p\\theta_i + y \\operatorname{cos} p\\theta_i)",
                    "\\theta_i = b^{-2i/d_k}"]
        case (.tiling, _):
            return event.name == "online"
                ? ["m_{\\text{new}} = \\max(m_{\\text{old}}, \\max_j s_j)", "\\ell_{\\text{new}} = \\ell_{\\text{old}} e^{m_{\\text{old}} - m_{\\text{new}}} + \\sum_j e^{s_j - m_{\\text{new}}}"]
                : ["o_{\\text{new}} = o_{\\text{old}} e^{m_{\\text{old}} - m_{\\text{new}}} + \\sum_j e^{s_j - m_{\\text{new}}} v_j"]
        case (.decoding, _):
            switch event.name {
            case "ω_t": return ["\\omega_t = q_t K_{\\text{cache}}^\\top"]
            case "α_t": return ["\\alpha_t = \\operatorname{softmax}\\left(\\frac{\\omega_t}{\\sqrt{d_k}}\\right)"]
            case "z_t": return ["z_t = \\alpha_t V_{\\text{cache}}"]
            default: return ["K_{\\text{cache}} \\leftarrow [K_{\\text{cache}}; k_t], \\quad V_{\\text{cache}} \\leftarrow [V_{\\text{cache}}; v_t]"]
            }
        case (.concat, _):
            return ["Z_{\\text{concat}} = [" + (0..<spec.heads).map { "Z_{\($0)}" }.joined(separator: " | ") + "]"]
        case (.output, _):
            return ["O = Z_{\\text{concat}} W_O" + (spec.output?.b_O != nil ? " + b_O" : "")]
        case (.backward, _):
            return backwardTeX(event, spec: spec)
        }
    }

    static func windowWidth(_ spec: AttentionSpec) -> String {
        if case .window(let w) = spec.mask { return String(w) }
        return ""
    }

    /// The head of a per-head event, when the block has several.
    static func head(_ event: TraceEvent, _ spec: AttentionSpec) -> Int? {
        spec.heads > 1 ? event.head : nil
    }

    /// A matrix in TeX with its head, when there are several heads: `Q` → `Q_{1}`,
    /// `X_{\text{src}}` (shared by the heads) unchanged.
    static func headed(_ texName: String, _ event: TraceEvent, _ spec: AttentionSpec) -> String {
        guard let r = head(event, spec), !texName.hasPrefix("X") else { return texName }
        return texName.contains("_") ? texName : "\(texName)_{\(r)}"
    }

    /// One cell of a score matrix in TeX: `ω` → `\omega_{ij}`, `ω_scaled` → `\omega_{\text{scaled},ij}`.
    static func cell(_ name: String) -> String {
        let parts = name.split(separator: "_", maxSplits: 1).map(String.init)
        let letter = ["ω": "\\omega", "α": "\\alpha"][parts[0]] ?? parts[0]
        return parts.count > 1 ? "\(letter)_{\\text{\(parts[1])},ij}" : "\(letter)_{ij}"
    }

    /// The name of operand `index`, or `fallback` when the event has no such operand.
    static func operand(_ event: TraceEvent, _ index: Int, _ fallback: String) -> String {
        index < event.operands.count ? event.operands[index].name : fallback
    }

    /// A matrix name in TeX: `Q`, `X_{\text{pos}}`, `X_{\text{src,pos}}`.
    static func tex(_ name: String) -> String {
        let parts = name.split(separator: "_")
        guard parts.count > 1 else { return name }
        return "\(parts[0])_{\\text{\(parts.dropFirst().joined(separator: ","))}}"
    }

    /// The lower-case vector letter of a one-letter matrix name (`Q` → `q`), if it has one.
    static func vector(_ name: String) -> String? {
        name.count == 1 && name.first?.isLetter == true ? name.lowercased() : nil
    }

    static func input(_ event: TraceEvent) -> String {
        switch event.operands.first?.name {
        case "X_pos": return "X_{\\text{pos}}"
        case "X_src": return "X_{\\text{src}}"
        case "X_src_pos": return "X_{\\text{src,pos}}"
        default: return "X"
        }
    }

    /// A heading for the stage a student can read aloud. The head, when there are
    /// several, is shown next to it as a badge (`TraceView`).
    static func title(_ event: TraceEvent, spec: AttentionSpec) -> String {
        switch event.stage {
        case .input: return event.name == "X" ? "Input: the embeddings X" : "Input: the source sentence X_src"
        case .positional: return "Positional encoding: \(event.name)"
        case .projection:
            let role = ["Q": "queries", "K": "keys", "V": "values"][event.name] ?? event.name
            return "Projection: the \(role) \(event.name)"
        case .similarity: return "Similarity: the scores ω"
        case .scaling: return "Scaling by √d_k"
        case .masking: return "Masking"
        case .normalization: return "Normalization: the weights α"
        case .rotary: return "Rotary positions: \(event.name)"
        case .tiling: return event.name == "online" ? "Online softmax, tile by tile" : "Running output o, tile by tile"
        case .decoding:
            let step = event.rowLabels.first.map { " for \($0)" } ?? ""
            switch event.name {
            case "cache": return "Decode step\(step): the cache grows"
            case "ω_t": return "Decode step\(step): its scores"
            case "α_t": return "Decode step\(step): its weights"
            default: return "Decode step\(step): its context vector"
            }
        case .context where event.name == "Z_prefill": return "Prefill: context vectors of the prompt"
        case .dropout: return "Dropout on the weights α"
        case .context: return "Context vectors Z"
        case .concat: return "Concatenating the heads"
        case .output: return "Output projection"
        case .backward: return backwardTitle(event)
        }
    }
}
