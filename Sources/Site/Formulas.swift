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
            return ["\(name) = \(input(event)) W_\(name)" + (bias ? " + b_\(name)" : "")]
        case (.projection, .column):
            let lower = name.lowercased()
            return ["\(lower)^{(i)} = U_\(lower) x^{(i)}", "U_\(lower) = W_\(name)^\\top"]
        case (.similarity, .row):
            return ["\\omega = Q K^\\top", "\\omega_{ij} = q_i \\cdot k_j"]
        case (.similarity, .column):
            return ["\\omega_{ij} = q^{(i)\\top} k^{(j)}"]
        case (.scaling, _):
            return ["\\omega_{ij} \\leftarrow \\frac{\\omega_{ij}}{\\sqrt{d_k}}", "d_k = \(spec.dK)"]
        case (.masking, _):
            switch spec.mask {
            case .causal: return ["\\omega_{ij} \\leftarrow -\\infty \\quad \\text{if } j > i"]
            default: return ["\\omega_{ij} \\leftarrow -\\infty \\quad \\text{if key } j \\text{ is padding}"]
            }
        case (.normalization, _):
            return ["\\alpha_{ij} = \\frac{\\exp(\\omega_{ij} - m_i)}{\\sum_{j'} \\exp(\\omega_{ij'} - m_i)}", "m_i = \\max_j \\omega_{ij}"]
        case (.context, .row):
            return ["Z = \\alpha V", "z_i = \\sum_j \\alpha_{ij} v_j"]
        case (.context, .column):
            return ["z^{(i)} = \\sum_j \\alpha_{ij} v^{(j)}"]
        case (.concat, _):
            return ["Z_{\\text{concat}} = [" + (0..<spec.heads).map { "Z_\($0)" }.joined(separator: " | ") + "]"]
        case (.output, _):
            return ["O = Z_{\\text{concat}} W_O" + (spec.output?.b_O != nil ? " + b_O" : "")]
        }
    }

    static func input(_ event: TraceEvent) -> String {
        switch event.operands.first?.name {
        case "X_pos": return "X_{\\text{pos}}"
        case "X_src": return "X_{\\text{src}}"
        case "X_src_pos": return "X_{\\text{src,pos}}"
        default: return "X"
        }
    }

    /// A heading for the stage a student can read aloud.
    static func title(_ event: TraceEvent, spec: AttentionSpec) -> String {
        let head = spec.heads > 1 ? event.head.map { ", head \($0)" } ?? "" : ""
        switch event.stage {
        case .input: return event.name == "X" ? "Input: the embeddings X" : "Input: the source sentence X_src"
        case .positional: return "Positional encoding: \(event.name)"
        case .projection:
            let role = ["Q": "queries", "K": "keys", "V": "values"][event.name] ?? event.name
            return "Projection: the \(role) \(event.name)\(head)"
        case .similarity: return "Similarity: the scores ω\(head)"
        case .scaling: return "Scaling by √d_k\(head)"
        case .masking: return "Masking\(head)"
        case .normalization: return "Normalization: the weights α\(head)"
        case .context: return "Context vectors Z\(head)"
        case .concat: return "Concatenating the heads"
        case .output: return "Output projection"
        }
    }
}
