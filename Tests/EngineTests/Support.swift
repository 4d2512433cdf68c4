import AttentionEngine
import Foundation
import SpecLoader
import Testing

/// The repository root, found from this file's path (tests read fixtures from the tree).

func loadSpec(_ yaml: String) throws -> AttentionSpec {
    try SpecLoader.load(yaml, path: "test.yaml").loaded.spec
}

func run(_ yaml: String) throws -> Trace {
    try SpecLoader.load(yaml, path: "test.yaml").loaded.trace()
}

/// |a − b| ≤ absolute + relative·max(|a|, |b|), element-wise.
func close(_ a: [Double], _ b: [Double], relative: Double = 1e-12, absolute: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x == y || abs(x - y) <= absolute + relative * max(abs(x), abs(y))
    }
}

func close(_ a: Matrix, _ b: [[Double]], relative: Double = 1e-12, absolute: Double = 1e-12) -> Bool {
    a.rows == b.count && close(a.storage, b.flatMap { $0 }, relative: relative, absolute: absolute)
}

/// A random spec from the seeded generator: n tokens, d_model, heads, optional extras.
func randomSpec(n: Int, d: Int, heads: Int = 1, seed: UInt64, mask: String? = nil, spread: Double = 1) -> String {
    let tokens = (0..<n).map { "t\($0)" }.joined(separator: ", ")
    return """
        tokens: [\(tokens)]
        d_model: \(d)
        heads: \(heads)
        X: {seed: \(seed), low: -\(spread), high: \(spread)}
        W_Q: {seed: \(seed + 1)}
        W_K: {seed: \(seed + 2)}
        W_V: {seed: \(seed + 3)}
        W_O: {seed: \(seed + 4)}
        \(mask.map { "mask: \($0)" } ?? "")
        """
}
