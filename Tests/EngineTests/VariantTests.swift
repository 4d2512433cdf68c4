import AttentionEngine
import Foundation
import SpecLoader
import Testing

/// The variants of issue 17: each is equal to its plain counterpart where it should be, and
/// every new cell explains itself. (Their numbers are checked against NumPy in FixtureTests,
/// variant_*.yaml, and against PyTorch by Tests/Reference/torch_check_variants.py.)
@Suite("variants: window, GQA, RoPE, KV cache, tiles")
struct VariantTests {
    /// A seeded spec with extra keys.
    func spec(n: Int, d: Int = 8, heads: Int = 2, seed: UInt64, _ extra: String) -> String {
        randomSpec(n: n, d: d, heads: heads, seed: seed) + "\n" + extra
    }

    func largest(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("a window as wide as the sentence is the causal mask; a window of 1 looks at the token itself")
    func windowEdges() throws {
        let causal = try run(spec(n: 6, seed: 1, "mask: causal"))
        let wide = try run(spec(n: 6, seed: 1, "mask: {window: 6}"))
        #expect(wide.output == causal.output)
        let one = try run(spec(n: 6, seed: 1, "mask: {window: 1}"))
        for h in 0..<2 {
            let α = one.event(named: "α", head: h)!.values
            for i in 0..<6 { for j in 0..<6 { #expect(α[i, j] == (i == j ? 1 : 0)) } }
        }
    }

    @Test("masked cells of a window give their reason")
    func windowReasons() throws {
        let trace = try run(spec(n: 5, seed: 2, "mask: {window: 2}"))
        let masked = trace.event(named: "ω_masked", head: 0)!
        guard case .masked(_, .window(4, 1, 2)) = masked.explain(row: 4, column: 1) else { Issue.record("window reason"); return }
        guard case .masked(_, .causal(1, 3)) = masked.explain(row: 1, column: 3) else { Issue.record("causal reason"); return }
        guard case .unmasked = masked.explain(row: 4, column: 3) else { Issue.record("kept"); return }
    }

    @Test("kv_heads = heads is multi-head attention; kv_heads g equals it with each K/V block repeated")
    func groupedQuery() throws {
        let base = "tokens: [a, b, c, d]\nd_model: 4\nheads: 4\nd_k: 2\nd_v: 3\nX: {seed: 5}\nW_Q: {seed: 6}\nW_O: {seed: 9}\nmask: causal\n"
        let gqa = try loadSpec(base + "kv_heads: 2\nW_K: {seed: 7}\nW_V: {seed: 8}\n")
        #expect(gqa.projection!.W_K.columns == 4 && gqa.projection!.W_V.columns == 6 && gqa.dV == 3)
        // The same numbers as plain multi-head attention with W_K = [K0 | K0 | K1 | K1].
        var plain = gqa
        plain.kvHeads = nil
        let repeatBlocks = { (W: Matrix, width: Int) in
            Matrix.concatenatingColumns([0, 0, 1, 1].map { W.columns(($0 * width)..<(($0 + 1) * width)) })
        }
        plain.projection!.W_K = repeatBlocks(gqa.projection!.W_K, 2)
        plain.projection!.W_V = repeatBlocks(gqa.projection!.W_V, 3)
        let a = try Attention.run(gqa), b = try Attention.run(plain)
        #expect(largest(a.output, b.output) == 0)
        // The trace says who shares what.
        #expect(a.event(named: "K", head: 3)!.formula.contains("K/V head 1 of 2, shared by query heads 2–3"))
        var same = gqa
        same.kvHeads = 4
        #expect(throws: SpecError.self) { try Attention.run(same) }  // W_K is too narrow for 4 K/V heads
    }

    @Test("kv_heads must divide heads and needs projections")
    func groupedQueryErrors() throws {
        #expect(throws: (any Error).self) { try run(spec(n: 3, heads: 2, seed: 1, "kv_heads: 3")) }
        #expect(throws: (any Error).self) { try run("tokens: [a, b]\nX: [[1, 0], [0, 1]]\nheads: 2\nkv_heads: 1\n") }
    }

    @Test("RoPE: the score of q at position m and k at position n depends on m − n only", arguments: ["rope", "{rope: half}", "{rope: adjacent, base: 100}"])
    func relativePositions(_ positional: String) throws {
        // Every token the same: without positions every score would be equal.
        let row = "[0.3, -0.2, 0.5, 0.1, -0.4, 0.2]"
        let yaml = "tokens: [a, b, c, d, e, f]\nX: [\(Array(repeating: row, count: 6).joined(separator: ", "))]\nW_Q: {seed: 3}\nW_K: {seed: 4}\nW_V: {seed: 5}\nd_k: 4\npositional: \(positional)\n"
        let ω = try run(yaml).event(named: "ω", head: 0)!.values
        for i in 0..<6 { for j in 0..<6 where i > 0 && j > 0 {
            #expect(abs(ω[i, j] - ω[i - 1, j - 1]) <= 1e-12, "ω[\(i), \(j)] vs ω[\(i - 1), \(j - 1)]")
        } }
        #expect(abs(ω[0, 1] - ω[0, 2]) > 1e-6)       // and it does depend on the distance
    }

    @Test("RoPE keeps lengths, leaves position 0 alone, and every rotated cell explains itself")
    func rotation() throws {
        let trace = try run(spec(n: 5, seed: 11, "positional: {rope: half}\nd_k: 4"))
        for name in ["Q_rot", "K_rot"] {
            let event = trace.event(named: name, head: 1)!, before = event.operands[0].matrix
            for p in 0..<5 {
                let norm = { (m: Matrix) in m.row(p).reduce(0) { $0 + $1 * $1 } }
                #expect(abs(norm(event.values) - norm(before)) <= 1e-12)
                for c in 0..<4 {
                    guard case .rotated(let r) = event.explain(row: p, column: c) else { Issue.record("not rotated"); continue }
                    let worked = r.isFirst ? r.a * r.cosine - r.b * r.sine : r.a * r.sine + r.b * r.cosine
                    #expect(abs(worked - event.values[p, c]) <= 1e-15 && r.position == p)
                    #expect(r.second - r.first == 2)               // halves: (i, i + d_k/2)
                }
            }
            #expect(Array(event.values.row(0)) == Array(before.row(0)))
        }
    }

    @Test("rope needs an even d_k and self-attention")
    func ropeErrors() throws {
        #expect(throws: (any Error).self) { try run(spec(n: 3, heads: 1, seed: 1, "d_k: 3\npositional: rope")) }
    }

    @Test("KV cache: every decode row equals the full causal pass to 1e-12", arguments: [0, 1, 4, 7])
    func decodeEqualsCausal(prefill: Int) throws {
        for extra in ["mask: causal", "mask: {window: 3}", "mask: causal\nkv_heads: 1\npositional: rope"] {
            let full = try run(spec(n: 7, seed: 21, extra))
            let decoded = try run(spec(n: 7, seed: 21, extra + "\ndecode: {prefill: \(prefill)}"))
            #expect(largest(full.output, decoded.output) <= 1e-12)
            for h in 0..<2 {
                #expect(largest(full.event(named: "Z", head: h)!.values, decoded.event(named: "Z", head: h)!.values) <= 1e-12)
                let steps = decoded.events.filter { $0.head == h && $0.name == "z_t" }
                #expect(steps.count == 7 - prefill)
                // The cache grows by one row per step (with a window: up to 3 rows).
                let sizes = decoded.events.filter { $0.head == h && $0.name == "ω_t" }.map(\.values.columns)
                #expect(sizes == (prefill..<7).map { extra.contains("window") ? min($0 + 1, 3) : $0 + 1 })
            }
        }
    }

    @Test("KV cache cells explain themselves: cache rows come from K and V, Z rows from the steps")
    func decodeExplanations() throws {
        let trace = try run(spec(n: 4, seed: 3, "mask: causal\ndecode: {prefill: 2}"))
        let cache = trace.events.first { $0.name == "cache" }!
        guard case .gathered("K[t2, 0]", let v) = cache.explain(row: 0, column: 0) else { Issue.record("cache"); return }
        #expect(v == trace.event(named: "K", head: 0)!.values[2, 0])
        let Z = trace.event(named: "Z", head: 0)!
        guard case .gathered("Z_prefill[t1, 0]", _) = Z.explain(row: 1, column: 0),
              case .gathered("z_t[t3, 1]", _) = Z.explain(row: 3, column: 1) else { Issue.record("Z"); return }
        let z = trace.events.last { $0.name == "z_t" && $0.head == 0 }!
        guard case .weightedSum(let p) = z.explain(row: 0, column: 0) else { Issue.record("z_t"); return }
        #expect(abs(p.partialSums.last! - z.values[0, 0]) <= 1e-15)
    }

    @Test("decode needs a causal mask or a window, and not tiles")
    func decodeErrors() throws {
        #expect(throws: (any Error).self) { try run(spec(n: 3, seed: 1, "decode: {prefill: 1}")) }
        #expect(throws: (any Error).self) { try run(spec(n: 3, seed: 1, "mask: causal\ndecode: {prefill: 4}")) }
        #expect(throws: (any Error).self) { try run(spec(n: 3, seed: 1, "mask: causal\ndecode: {prefill: 1}\ntiles: {rows: 1, columns: 1}")) }
    }

    @Test("tiles: Z equals the plain computation to 1e-12, for any tile sizes and masks",
          arguments: [(1, 1), (2, 3), (3, 2), (4, 4), (16, 5), (9, 9)])
    func tilesEqualPlain(rows: Int, columns: Int) throws {
        for extra in ["", "mask: causal", "mask: {window: 2}", "mask: {padding: [false, true, false, false, true, false, false, false, false]}",
                      "kv_heads: 1\npositional: {rope: half}", "scale: false\nmask: causal"] {
            let plain = try run(spec(n: 9, seed: 31, extra))
            let tiled = try run(spec(n: 9, seed: 31, extra + "\ntiles: {rows: \(rows), columns: \(columns)}"))
            #expect(largest(plain.output, tiled.output) <= 1e-12, "\(extra)")
            #expect(tiled.events(.normalization).isEmpty)      // α is never made whole
        }
    }

    @Test("the online softmax's steps explain themselves and end at the row's max and sum")
    func onlineSteps() throws {
        let yaml = spec(n: 7, seed: 41, "mask: causal\ntiles: {rows: 2, columns: 3}")
        let trace = try SpecLoader.load(yaml, path: "t.yaml").loaded.trace(recording: Recording(focus: 5))
        let plain = try run(spec(n: 7, seed: 41, "mask: causal"))
        let online = trace.event(named: "online", head: 1)!
        #expect(online.rowLabels == ["keys 0–2", "keys 3–5"])   // the tile of keys 6 is hidden from rows 4–5
        let scores = Array(plain.event(named: "ω_masked", head: 1)!.values.row(5))
        let work = Softmax.work(scores)
        let last = online.values.rows - 1
        #expect(abs(online.values[last, OnlineStep.Quantity.mNew.rawValue] - work.maximum) <= 1e-12)
        #expect(abs(online.values[last, OnlineStep.Quantity.ℓNew.rawValue] - work.sum) <= 1e-12)
        for r in 0..<online.values.rows {
            guard case .online(let step, .ℓNew, let result) = online.explain(row: r, column: 6) else { Issue.record("online"); continue }
            #expect(abs(step.ℓOld * step.rescale + step.tileSum - result) <= 1e-15)
            if r > 0 { #expect(online.values[r, 0] == online.values[r - 1, 2] && online.values[r, 4] == online.values[r - 1, 6]) }
        }
        let o = trace.event(named: "o", head: 1)!
        guard case .dotProduct(let p) = o.explain(row: 1, column: 0) else { Issue.record("o"); return }
        #expect(abs(p.partialSums.last! - o.values[1, 0]) <= 1e-15)
        let Z = trace.event(named: "Z", head: 1)!
        guard case .divided(let num, let den, let z) = Z.explain(row: 5, column: 1) else { Issue.record("Z"); return }
        #expect(num == o.values[1, 1] && den == online.values[1, 6] && z == Z.values[5, 1])
    }

    @Test("tiles lift the token limit: 5,000 tokens are refused without tiles, allowed with them")
    func tiledLimit() throws {
        let long = "tokens: [" + (0..<5000).map { "t\($0)" }.joined(separator: ", ") + "]\nd_model: 4\nX: {seed: 1}\nW_Q: {seed: 2}\nW_K: {seed: 3}\nW_V: {seed: 4}\nmask: causal\n"
        #expect(throws: (any Error).self) { try loadSpec(long).validate() }
        try loadSpec(long + "tiles: {rows: 512, columns: 512}").validate()
        // (A long tiled trace itself runs in `make bench`; in a debug build it would take a while.)
        let trace = try SpecLoader.load(spec(n: 300, seed: 2, "mask: causal\ntiles: {rows: 64, columns: 32}"), path: "t.yaml").loaded
            .trace(recording: Recording(focus: 299, keep: .focus))
        #expect(trace.event(named: "Z", head: 0)!.values.rows == 1 && trace.event(named: "Z", head: 0)!.shape.rows == 300)
    }

    @Test("--keep focus: each event keeps the focus row, equal to the full trace's, and still explains it")
    func keepFocus() throws {
        let yaml = spec(n: 6, seed: 51, "mask: causal")
        let full = try run(yaml)
        let kept = try SpecLoader.load(yaml, path: "t.yaml").loaded.trace(recording: Recording(focus: 4, keep: .focus))
        #expect(kept.events.count == full.events.count)
        for (a, b) in zip(kept.events, full.events) {
            #expect(a.shape == b.shape && a.name == b.name)
            if b.values.rows == 6 {
                #expect(a.values.rows == 1 && a.kept?.indices == [4] && a.localRow(4) == 0)
                #expect(Array(a.values.row(0)) == Array(b.values.row(4)))
                for j in 0..<a.values.columns { #expect(a.explain(row: 0, column: j) == b.explain(row: 4, column: j)) }
            }
        }
    }
}
