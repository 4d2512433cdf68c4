import Foundation
import TestSupport
import Testing

/// `attn trace` of a spec with `backward:`: every gradient after the forward events, in each
/// format, and a JSON trace of version 2 that the schema accepts (and version 1 unchanged).
@Suite("attn trace with a backward pass")
struct BackwardCLITests {
    static let spec = """
        tokens: [je, suis, là]
        d_model: 4
        heads: 2
        X: {seed: 1}
        W_Q: {seed: 2}
        W_K: {seed: 3}
        W_V: {seed: 4}
        b_Q: {seed: 5}
        W_O: {seed: 6}
        b_O: {seed: 7}
        mask: {padding: [false, true, false, false]}
        source: {tokens: [I, am, here, now], X: {seed: 8}}
        backward: {dO: {seed: 9}}
        """

    @Test("summary: every gradient, after the forward events, per-head ones with their head")
    func summary() throws {
        let run = try attn("trace", try temporaryFile(Self.spec), "--format", "summary")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let backward = lines.filter { $0[0] == "backward" }.map { "\($0[2])@\($0[1])" }
        let head = { (h: Int) in ["dZ", "dV", "dα", "dω_scaled", "dω", "dQ", "dK"].map { "\($0)@\(h)" } }
        #expect(backward == ["dO@-", "dZ_concat@-", "dW_O@-", "db_O@-"] + head(0) + head(1)
                + ["dW_Q@-", "dW_K@-", "dW_V@-", "db_Q@-", "dX@-", "dX_source@-"])
        #expect(lines.lastIndex { $0[0] != "backward" }! < lines.firstIndex { $0[0] == "backward" }!)
    }

    @Test("text: the softmax backward of the focus row, the 1/√d_k, the dot products of dQ")
    func text() throws {
        let run = try attn("trace", try temporaryFile(Self.spec), "--focus", "suis", "--decimals", "3")
        #expect(run.status == 0, "\(run.stderr)")
        for phrase in ["── backward · head 1 ── dω_scaled = α ⊙ (dα − Σ_k α_k·dα_k), row by row; 0 where masked",
                       "worked, row suis (softmax backward):", "Σ α·dα", "dα − Σ",
                       "── backward · head 0 ── dω = dω_scaled / √d_k,  d_k = 2",
                       "dQ[suis, 0] = dω_scaled[suis]·K[:, 0] / √2 = (",
                       "(0 where masked)",
                       "── backward ── dX_source = dK·W_Kᵀ + dV·W_Vᵀ"] {
            #expect(run.stdout.contains(phrase), "missing: \(phrase)")
        }
    }

    @Test("JSON: version 2 with backward events, valid by the schema; version 1 without")
    func json() throws {
        let run = try attn("trace", try temporaryFile(Self.spec), "--format", "json")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("{\n  \"version\": 2,\n"))
        let plain = try attn("trace", "examples/i-am-good.yaml", "--format", "json")
        #expect(plain.stdout.hasPrefix("{\n  \"version\": 1,\n") && !plain.stdout.contains("\"backward\""))
        let json = try temporaryFile(run.stdout, name: "trace.json")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); trace = json.load(open(sys.argv[2]))
            jsonschema.validate(trace, schema, cls=jsonschema.Draft202012Validator)
            wrong = [dict(trace, version=1),
                     dict(trace, events=[e for e in trace["events"] if e["stage"] != "backward"]),
                     dict(trace, events=[{k: v for k, v in e.items() if k != "head"} if e["name"] == "dQ" else e for e in trace["events"]]),
                     dict(trace, events=[dict(e, head=0) if e["name"] == "dX" else e for e in trace["events"]])]
            for bad in wrong:
                try:
                    jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator); print("schema too loose")
                except jsonschema.ValidationError:
                    pass
            print("ok")
            """
        let venv = repositoryRoot.appendingPathComponent(".build/venv/bin/python3")
        let python = FileManager.default.isExecutableFile(atPath: venv.path)
            ? try execute(venv, ["-c", script, "docs/trace-format.schema.json", json])
            : try execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, "docs/trace-format.schema.json", json])
        #expect(python.stdout == "ok\n", "\(python.stdout)\(python.stderr)")
    }

    @Test("a dO of the wrong shape points at its line")
    func wrongShape() throws {
        let file = try temporaryFile("tokens: [a, b]\nX: [[1, 2], [3, 4]]\nbackward:\n  dO: [[1, 2]]\n")
        let run = try attn("trace", file)
        #expect(run.status != 0)
        #expect(run.stderr.contains(":4:3: backward.dO is 1 × 2 but the output Z is 2 × 2"), "\(run.stderr)")
    }
}
