import AttentionEngine
import Diagnostics
import Yams

extension Reader {
    /// `dropout: {p: 0.1, seed: 3}`: dropout on the attention weights, seeded (docs/spec.md).
    mutating func readDropout(_ field: (key: Node, value: Node)?) throws(Diagnostic) -> AttentionSpec.Dropout? {
        guard let field else { return nil }
        let usage = "dropout must be a mapping with p (the probability of dropping a weight) and seed, e.g. dropout: {p: 0.1, seed: 3}"
        guard let mapping = field.value.mapping else { throw Diagnostic(usage, at: place(field.value)) }
        var p: Double?
        var seed: UInt64?
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            switch key {
            case "p":
                locations[SpecLoader.key([.key("dropout"), .key("p")])] = place(value)
                let x = try number(value, "dropout.p")
                guard x >= 0, x < 1 else {
                    throw Diagnostic("dropout.p must be at least 0 and less than 1 (the probability of dropping a weight), not \(text(value))", at: place(value))
                }
                p = x
            case "seed":
                let t = try scalarText(value, "dropout.seed")
                guard let s = UInt64(t) else {
                    throw Diagnostic("dropout.seed must be a whole number from 0 to \(UInt64.max), not '\(t)'", at: place(value))
                }
                seed = s
            default:
                let hint = nearest(to: key, in: ["p", "seed"]).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)' in dropout: \(hint)it takes p and seed", at: place(keyNode))
            }
        }
        guard let p, let seed else { throw Diagnostic(usage, at: place(field.value)) }
        return AttentionSpec.Dropout(p: p, seed: seed)
    }

    private func text(_ node: Node) -> String { node.scalar?.string ?? "" }
}
