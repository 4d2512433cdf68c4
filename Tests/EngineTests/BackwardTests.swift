import AttentionEngine
import Foundation
import SpecLoader
import TestSupport
import Testing

/// The backward pass against PyTorch autograd (fixtures written by
/// Tests/Reference/make_backward_fixtures.py) and against central finite differences of the
/// engine's own forward pass, which FixtureTests checks against NumPy.
@Suite("backward pass")
struct BackwardTests {
    static let directory = repositoryRoot.appendingPathComponent("Tests/Reference/backward")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test("there are PyTorch fixtures with heads, biases, masks, W_O and cross-attention")
    func fixturesExist() throws {
        #expect(Self.names.count >= 8)
        let texts = try Self.names.map { try String(contentsOf: Self.directory.appendingPathComponent("\($0).yaml"), encoding: .utf8) }
        for feature in ["heads: 2", "heads: 3", "b_Q:", "b_O:", "W_O:", "mask: causal", "padding:", "source:", "scale: false", "positional:"] {
            #expect(texts.contains { $0.contains(feature) }, "no fixture has \(feature)")
        }
    }

    @Test("every gradient agrees with PyTorch autograd to 1e-9", arguments: names)
    func matchesPyTorch(name: String) throws {
        let yaml = try String(contentsOf: Self.directory.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("\(name).expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let reference = try #require(expected["events"] as? [[String: Any]])
        let trace = try SpecLoader.load(yaml, path: "\(name).yaml").loaded.trace()
        let gradients = trace.events(.backward)

        #expect(gradients.map(\.name) == reference.map { $0["name"] as! String }, "\(name): names in order")
        var worst = 0.0
        for (event, want) in zip(gradients, reference) {
            let label = "\(name): \(event.name) head \(String(describing: event.head))"
            #expect(event.head == want["head"] as? Int, "\(label): head")
            #expect(event.rowLabels == want["rows"] as? [String], "\(label): rows")
            #expect(event.columnLabels == want["columns"] as? [String], "\(label): columns")
            let values = try #require(want["values"] as? [[NSNumber]]).map { $0.map(\.doubleValue) }
            #expect(event.values.rows == values.count && event.values.storage.count == values.joined().count, "\(label): shape")
            for (a, b) in zip(event.values.storage, values.joined()) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst <= 1e-9, "\(name): max |Δ| = \(worst)")
        // The forward events are the same with or without the backward pass.
        var forward = try SpecLoader.load(yaml, path: "\(name).yaml").loaded.spec
        forward.backward = nil
        let plain = try Attention.run(forward)
        #expect(plain.events.map(\.name) == trace.events.filter { $0.stage != .backward }.map(\.name))
        #expect(zip(plain.events, trace.events).allSatisfy { $0.values == $1.values })
    }

    /// L(θ) = Σ dO ⊙ output(θ) for the spec with one entry of θ changed.
    static func loss(_ spec: AttentionSpec, _ dO: Matrix) throws -> Double {
        var spec = spec
        spec.backward = nil
        let output = try Attention.run(spec).output
        return zip(output.storage, dO.storage).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Each parameter the spec has, as (gradient name, read, write).
    static func parameters(_ spec: AttentionSpec) -> [(String, Int, (AttentionSpec) -> Double?, (inout AttentionSpec, Double) -> Void)] {
        func matrix(_ name: String, _ key: WritableKeyPath<AttentionSpec, Matrix>, _ count: Int) -> [(String, Int, (AttentionSpec) -> Double?, (inout AttentionSpec, Double) -> Void)] {
            (0..<count).map { k in (name, k, { $0[keyPath: key].storage[k] }, { spec, x in
                let c = spec[keyPath: key].columns
                spec[keyPath: key][k / c, k % c] = x
            }) }
        }
        func optional(_ name: String, _ key: WritableKeyPath<AttentionSpec, Matrix?>, _ count: Int) -> [(String, Int, (AttentionSpec) -> Double?, (inout AttentionSpec, Double) -> Void)] {
            (0..<count).map { k in (name, k, { $0[keyPath: key]?.storage[k] }, { spec, x in
                var m = spec[keyPath: key]!
                m[k / m.columns, k % m.columns] = x
                spec[keyPath: key] = m
            }) }
        }
        var out = matrix("dX", \.X, spec.X.storage.count)
        if let source = spec.source { out += optional("dX_source", \.sourceX, source.X.storage.count) }
        if let p = spec.projection {
            out += optional("dW_Q", \.W_Q, p.W_Q.storage.count) + optional("dW_K", \.W_K, p.W_K.storage.count) + optional("dW_V", \.W_V, p.W_V.storage.count)
            if let b = p.b_Q { out += optional("db_Q", \.b_Q, b.count) }
            if let b = p.b_K { out += optional("db_K", \.b_K, b.count) }
            if let b = p.b_V { out += optional("db_V", \.b_V, b.count) }
        }
        if let o = spec.output {
            out += optional("dW_O", \.W_O, o.W_O.storage.count)
            if let b = o.b_O { out += optional("db_O", \.b_O, b.count) }
        }
        return out
    }

    static let finiteDifferenceSpecs: [String] = [
        randomSpec(n: 3, d: 4, seed: 40) + "\nbackward: {dO: {seed: 45}}",
        randomSpec(n: 4, d: 6, heads: 2, seed: 50, mask: "causal") + "\nb_Q: {seed: 56}\nb_K: {seed: 57}\nb_V: {seed: 58}\nb_O: {seed: 59}\nbackward: {dO: {seed: 55}}",
        randomSpec(n: 3, d: 4, heads: 2, seed: 60) + "\nmask: {padding: [false, true, false, false]}\nsource: {tokens: [s0, s1, s2, s3], X: {seed: 66}}\nb_V: {seed: 67}\nbackward: {dO: {seed: 65}}",
        "tokens: [a, b, c]\nd_model: 4\nheads: 2\nX: {seed: 70}\nscale: false\nmask: causal\npositional: sinusoidal\nbackward: {dO: {seed: 71}}",
    ]

    @Test("dX, dW and db agree with central finite differences (float64)", arguments: finiteDifferenceSpecs.indices)
    func finiteDifferences(index: Int) throws {
        let spec = try loadSpec(Self.finiteDifferenceSpecs[index])
        let dO = try #require(spec.backward?.dO)
        let trace = try Attention.run(spec)
        let h = 1e-6
        var worst = 0.0
        for (name, k, read, write) in Self.parameters(spec) {
            let gradient = try #require(trace.event(named: name), "no \(name)").values.storage[k]
            let x = try #require(read(spec))
            var up = spec, down = spec
            write(&up, x + h)
            write(&down, x - h)
            let estimate = (try Self.loss(up, dO) - Self.loss(down, dO)) / (2 * h)
            worst = max(worst, abs(estimate - gradient))
        }
        #expect(worst <= 1e-7, "spec \(index): max |gradient − finite difference| = \(worst)")
    }

    @Test("masked scores get exactly zero gradient, and a padding key's dK and dV rows are zero")
    func maskedCellsAreZero() throws {
        let causal = try run(randomSpec(n: 5, d: 4, heads: 2, seed: 80, mask: "causal") + "\nbackward: {dO: {seed: 85}}")
        for event in causal.events(.backward) where ["dω_scaled", "dω"].contains(event.name) {
            for i in 0..<event.values.rows {
                for j in (i + 1)..<event.values.columns {
                    #expect(event.values[i, j].bitPattern == 0.0.bitPattern, "\(event.name)[\(i), \(j)] head \(event.head!)")
                }
            }
        }
        let padded = try run(randomSpec(n: 4, d: 4, seed: 90) + "\nmask: {padding: [false, false, true, false]}\nbackward: {dO: {seed: 95}}")
        for name in ["dω_scaled", "dω"] {
            #expect(padded.event(named: name)!.values.column(2).allSatisfy { $0.bitPattern == 0.0.bitPattern })
        }
        for name in ["dK", "dV"] {
            #expect(padded.event(named: name)!.values.row(2).allSatisfy { $0 == 0 }, "\(name)[PAD] must be 0")
        }
        // dα itself is not zero there: the loss would change if α_ij could; the softmax stops it.
        #expect(padded.event(named: "dα")!.values.column(2).contains { $0 != 0 })
    }

    @Test("every gradient cell's explanation redoes its value")
    func explanations() throws {
        for yaml in Self.finiteDifferenceSpecs {
            let trace = try run(yaml)
            for event in trace.events(.backward) {
                for i in 0..<event.values.rows {
                    for j in 0..<event.values.columns {
                        let value = event.values[i, j]
                        let redone: Double
                        switch event.explain(row: i, column: j) {
                        case .gradient(.products(let terms, let dK, let result)):
                            #expect(result == value)
                            redone = terms.map { $0.partialSums.last ?? 0 }.reduce(0, +) / (dK.map { Double($0).squareRoot() } ?? 1)
                        case .gradient(.softmax(let row, let column, let result)):
                            #expect(result == value && column == j)
                            #expect(abs(row.rowSum - zip(row.alpha, row.dAlpha).map { $0 * $1 }.reduce(0, +)) < 1e-12)
                            redone = row.masked[j] ? 0 : row.alpha[j] * (row.dAlpha[j] - row.rowSum)
                        case .gradient(.sum(let terms, let result)):
                            #expect(result == value)
                            redone = terms.map(\.value).reduce(0, +)
                        case .gradient(.copied(_, let copied)):
                            redone = copied
                        case .scaled(let score, let dK, let divisor, let result):
                            #expect(event.name == "dω" && divisor == Double(dK).squareRoot() && result == value)
                            redone = score / divisor
                        case .given(let given):
                            #expect(event.name == "dO")
                            redone = given
                        default:
                            Issue.record("\(event.name): unexpected explanation"); continue
                        }
                        #expect(abs(redone - value) <= 1e-12 * max(1, abs(value)), "\(event.name)[\(i), \(j)]: \(redone) vs \(value)")
                    }
                }
            }
        }
    }

    @Test("the events come in the documented order, per-head ones with their head")
    func order() throws {
        let trace = try run(randomSpec(n: 3, d: 4, heads: 2, seed: 100) + "\nb_O: {seed: 106}\nbackward: {dO: {seed: 105}}")
        let names = trace.events(.backward).map { e in e.name + (e.head.map { "@\($0)" } ?? "") }
        let head = { (h: Int) in ["dZ", "dV", "dα", "dω_scaled", "dω", "dQ", "dK"].map { "\($0)@\(h)" } }
        #expect(names == ["dO", "dZ_concat", "dW_O", "db_O"] + head(0) + head(1) + ["dW_Q", "dW_K", "dW_V", "dX"])
        #expect(trace.events.firstIndex { $0.stage == .backward }! > trace.events.lastIndex { $0.stage != .backward }!)
    }

    @Test("a dO of the wrong shape is an error at backward.dO")
    func wrongShape() throws {
        let yaml = "tokens: [a, b]\nX: [[1, 2], [3, 4]]\nbackward:\n  dO: [[1, 2, 3], [4, 5, 6]]\n"
        #expect(throws: (any Error).self) { try run(yaml) }
        do { _ = try run(yaml) } catch {
            #expect("\(error)".contains("test.yaml:4:3: backward.dO is 2 × 3 but the output Z is 2 × 2"), "\(error)")
        }
        do { _ = try run("tokens: [a, b]\nX: [[1, 2], [3, 4]]\nbackward: {d0: [[1, 2], [3, 4]]}\n") } catch {
            #expect("\(error)".contains("unknown key 'd0' in backward: it takes dO"), "\(error)")
        }
    }
}

/// Key paths for the finite-difference test: the optional parts of a spec as matrices.
extension AttentionSpec {
    var sourceX: Matrix? {
        get { source?.X }
        set { source!.X = newValue! }
    }
    var W_Q: Matrix? { get { projection?.W_Q } set { projection!.W_Q = newValue! } }
    var W_K: Matrix? { get { projection?.W_K } set { projection!.W_K = newValue! } }
    var W_V: Matrix? { get { projection?.W_V } set { projection!.W_V = newValue! } }
    var b_Q: Matrix? { get { projection?.b_Q.map { Matrix([$0]) } } set { projection!.b_Q = newValue!.storage } }
    var b_K: Matrix? { get { projection?.b_K.map { Matrix([$0]) } } set { projection!.b_K = newValue!.storage } }
    var b_V: Matrix? { get { projection?.b_V.map { Matrix([$0]) } } set { projection!.b_V = newValue!.storage } }
    var W_O: Matrix? { get { output?.W_O } set { output!.W_O = newValue! } }
    var b_O: Matrix? { get { output?.b_O.map { Matrix([$0]) } } set { output!.b_O = newValue!.storage } }
}

@Suite("backward pass limits")
struct BackwardLimitTests {
    @Test("the variants the backward pass does not differentiate, and --keep focus, are refused by name", arguments: [
        ("heads: 2\nkv_heads: 1\nW_Q: {seed: 2}\nW_K: {seed: 3}\nW_V: {seed: 4}\nd_k: 2\nd_v: 2\n", "kv_heads"),
        ("positional: rope\nW_Q: {seed: 2}\nW_K: {seed: 3}\nW_V: {seed: 4}\nd_k: 2\nd_v: 2\n", "positional: rope"),
        ("mask: causal\ndecode: {prefill: 1}\n", "decode"),
        ("tiles: {rows: 1, columns: 1}\n", "tiles"),
    ])
    func refused(_ extra: String, _ name: String) throws {
        let yaml = "tokens: [a, b, c]\nd_model: 4\nX: {seed: 1}\n" + extra + "backward: {dO: {seed: 9}}\n"
        #expect(throws: (any Error).self) { try run(yaml) }
        do { _ = try run(yaml) } catch {
            #expect("\(error)".contains("backward works with the plain forward pass, not with \(name)"), "\(error)")
        }
    }

    @Test("with --keep focus the backward pass is refused: it needs every row")
    func keepFocus() throws {
        let spec = try loadSpec("tokens: [a, b]\nX: [[1, 0], [0, 1]]\nbackward: {dO: [[1, 0], [0, 1]]}\n")
        #expect(throws: SpecError.self) { try Attention.run(spec, recording: Recording(focus: 0, keep: .focus)) }
        #expect(throws: Never.self) { try Attention.run(spec) }
    }
}

@Suite("dropout limits")
struct DropoutLimitTests {
    @Test("dropout with tiles or a KV cache is refused by name", arguments: [
        ("tiles: {rows: 1, columns: 1}\n", "tiles"), ("mask: causal\ndecode: {prefill: 1}\n", "decode"),
    ])
    func refused(_ extra: String, _ name: String) throws {
        let yaml = "tokens: [a, b, c]\nd_model: 4\nX: {seed: 1}\n" + extra + "dropout: {p: 0.5, seed: 3}\n"
        do {
            _ = try run(yaml)
            Issue.record("not refused")
        } catch {
            #expect("\(error)".contains("dropout is for training; \(name) is for inference"), "\(error)")
        }
    }
}
