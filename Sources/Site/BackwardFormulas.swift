import AttentionEngine

/// The backward stage's headings and formulas (the forward ones are in Formulas.swift).
extension Formulas {
    /// `dω_scaled` → `\mathrm{d}\omega_{\text{scaled}}`: a gradient's name in TeX.
    static func gradientTeX(_ name: String) -> String {
        let greek = ["ω": "\\omega", "α": "\\alpha"]
        var rest = name.dropFirst()                                   // the "d"
        let base = rest.prefix { $0 != "_" }
        rest = rest.dropFirst(base.count)
        let letter = base.map { greek[String($0)] ?? String($0) }.joined()
        let index = rest.isEmpty ? "" : "_{\\text{\(rest.dropFirst())}}"
        return "\\mathrm{d}\(letter)\(index)"
    }

    static func backwardTeX(_ event: TraceEvent, spec: AttentionSpec) -> [String] {
        let d = gradientTeX
        let scores = spec.scale ? d("dω_scaled") : d("dω")
        let over = spec.scale ? " \\frac{1}{\\sqrt{d_k}}" : ""
        switch event.name {
        case "dO": return ["\(d("dO")) = \\frac{\\mathrm{d}L}{\\mathrm{d}\(spec.output == nil ? "Z" : "O")}"]
        case "dZ_concat": return ["\(d("dZ_concat")) = \(d("dO")) W_O^\\top"]
        case "dW_O": return ["\(d("dW_O")) = \(tex(event.operands[0].name))^\\top \(d("dO"))"]
        case "db_O", "db_Q", "db_K", "db_V":
            return ["{\(d(event.name))}_j = \\sum_i {\(d(event.operands[0].name))}_{ij}"]
        case "dZ": return ["\(d("dZ")) = " + (spec.heads > 1 ? "{\(d(event.operands[0].name))}_{[:, \\text{head \(event.head ?? 0)}]}" : d(event.operands[0].name))]
        case "dV": return ["\(d("dV")) = \\alpha^\\top \(d("dZ"))"]
        case "dα": return ["\(d("dα")) = \(d("dZ")) \(tex(event.operands[1].name))^\\top"]
        case "dω" where event.operands.count == 2, "dω_scaled":
            return ["{\(scores)}_{ij} = \\alpha_{ij} \\left( {\(d("dα"))}_{ij} - \\sum_k \\alpha_{ik} {\(d("dα"))}_{ik} \\right)"]
        case "dω": return ["\(d("dω")) = \\frac{\(d("dω_scaled"))}{\\sqrt{d_k}}", "d_k = \(spec.dK)"]
        case "dQ": return ["\(d("dQ")) = \(scores) \(tex(event.operands[1].name))\(over)"]
        case "dK": return ["\(d("dK")) = \(scores)^\\top \(tex(event.operands[1].name))\(over)"]
        case "dW_Q", "dW_K", "dW_V":
            return ["\(d(event.name)) = \(tex(event.operands[0].name))^\\top \(d(event.operands[1].name))"]
        default:                                                      // dX, dX_source
            guard spec.projection != nil else {
                return ["\(d(event.name)) = \\text{each head's } "
                    + (event.name == "dX" && spec.source == nil ? "\(d("dQ")) + \(d("dK")) + \(d("dV"))"
                        : event.name == "dX" ? d("dQ") : "\(d("dK")) + \(d("dV"))")
                    + " \\text{ in its block of columns}"]
            }
            let terms = stride(from: 0, to: event.operands.count, by: 2).map { "\(d(event.operands[$0].name)) \(tex(event.operands[$0 + 1].name))^\\top" }
            return ["\(d(event.name)) = " + terms.joined(separator: " + ")]
        }
    }

    static func backwardTitle(_ event: TraceEvent) -> String {
        let what = ["dO": "the given dO = ∂L/∂O", "dZ_concat": "dZ_concat", "dW_O": "the output weights, dW_O", "db_O": "db_O",
                    "dZ": "the context vectors, dZ", "dV": "the values, dV", "dα": "the weights, dα",
                    "dω_scaled": "through the softmax, dω_scaled", "dω": "the raw scores, dω", "dQ": "the queries, dQ", "dK": "the keys, dK",
                    "dX": "the embeddings, dX", "dX_source": "the source embeddings, dX_source"][event.name] ?? event.name
        return "Gradient: \(what)"
    }
}

