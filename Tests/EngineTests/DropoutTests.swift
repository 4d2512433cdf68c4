import AttentionEngine
import Foundation
import SpecLoader
import Testing

/// Dropout on the attention weights (Dropout.swift), against NumPy: the expected numbers are
/// printed by Tests/Reference/make_dropout_reference.py (SplitMix64 and the softmax written
/// out in Python, independently of the Swift code).
@Suite("dropout")
struct DropoutTests {
    static let yaml = """
        tokens: [I, am, good]
        X: [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]
        heads: 2
        W_Q: [[1, 0, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1], [0, 1, 1, 0]]
        W_K: [[0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 1], [1, 1, 0, 0]]
        W_V: [[0, 2, 0, 1], [0, 3, 0, 0], [1, 0, 3, 1], [1, 1, 0, 2]]
        dropout: {p: 0.4, seed: 3}
        """
    static let keep: [[[Double]]] = [[[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 1.0, 1.0]], [[1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]
    static let alphaDropout: [[[Double]]] = [[[0.0, 1.2798632268978376, 0.3111561682458381], [0.0, 0.0, 0.02360889141654581], [0.0, 1.6188114137946923, 0.04717733364290217]], [[0.809412857717222, 0.04784095123222288, 0.809412857717222], [0.8273887125289189, 0.0, 0.8273887125289189], [0.8303915889455589, 0.0, 0.0]]]
    static let z: [[[Double]]] = [[[3.1820387902873515, 12.10584282465773], [0.04721778283309162, 0.14165334849927486], [3.331977494875189, 13.233555312214952]], [[4.856477146303332, 5.0478409512322235], [4.964332275173513, 4.964332275173513], [2.491174766836677, 1.6607831778911177]]]

    @Test("the mask, α_dropout and Z of every head match NumPy")
    func matchesNumPy() throws {
        let trace = try run(Self.yaml)
        for head in 0..<2 {
            let event = try #require(trace.event(named: "α_dropout", head: head))
            #expect(event.stage == .dropout)
            #expect(close(event.operands[1].matrix, Self.keep[head], relative: 0, absolute: 0))
            #expect(close(event.values, Self.alphaDropout[head]))
            let Z = try #require(trace.event(named: "Z", head: head))
            #expect(Z.operands[0].name == "α_dropout")
            #expect(close(Z.values, Self.z[head]))
        }
    }

    @Test("kept weights are α/(1 − p), dropped ones 0, and rows no longer sum to 1")
    func rescaled() throws {
        let trace = try run(Self.yaml)
        let alpha = try #require(trace.event(named: "α", head: 0))
        let dropped = try #require(trace.event(named: "α_dropout", head: 0))
        for i in 0..<3 {
            for j in 0..<3 {
                switch dropped.explain(row: i, column: j) {
                case .dropout(let weight, let kept, let p, let result):
                    #expect(weight == alpha.values[i, j] && p == 0.4)
                    #expect(result == (kept ? weight / 0.6 : 0))
                default:
                    Issue.record("α_dropout[\(i), \(j)] is not explained as dropout")
                }
            }
        }
        let sums = (0..<3).map { i in (0..<3).reduce(0.0) { $0 + dropped.values[i, $1] } }
        #expect(sums.contains { abs($0 - 1) > 0.1 })
    }

    @Test("without dropout the trace has no dropout stage; p = 0 keeps every weight as it was")
    func off() throws {
        let plain = try run(Self.yaml.replacingOccurrences(of: "dropout: {p: 0.4, seed: 3}", with: ""))
        #expect(plain.events(.dropout).isEmpty)
        let zero = try run(Self.yaml.replacingOccurrences(of: "p: 0.4", with: "p: 0"))
        for head in 0..<2 {
            #expect(zero.event(named: "α_dropout", head: head)!.values.storage == zero.event(named: "α", head: head)!.values.storage)
        }
    }

    @Test("bad dropout keys are located errors")
    func errors() throws {
        for (bad, message) in [("dropout: {p: 1, seed: 3}", "dropout.p must be at least 0 and less than 1"),
                               ("dropout: {p: 0.1}", "dropout must be a mapping with p"),
                               ("dropout: {p: 0.1, sed: 3}", "unknown key 'sed' in dropout: did you mean 'seed'?"),
                               ("dropout: 0.1", "dropout must be a mapping with p")] {
            let yaml = Self.yaml.replacingOccurrences(of: "dropout: {p: 0.4, seed: 3}", with: bad)
            do {
                _ = try run(yaml)
                Issue.record("no error for \(bad)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}
