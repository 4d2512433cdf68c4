import Foundation
import TestSupport
import Testing

func attn(_ arguments: String..., input: String? = nil) throws -> Run {
    try execute(attnBinary, arguments, input: input)
}

func temporaryFile(_ text: String, name: String = "spec.yaml") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attn-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

@Suite("attn trace")
struct TraceCommandTests {
    @Test("summary: one line per event, exit 0")
    func summary() throws {
        let run = try attn("trace", "examples/i-am-good.yaml", "--format", "summary")
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.split(separator: "\n").first == "input\t-\tX\t(3×4)")
        #expect(run.stdout.split(separator: "\n").count == 8)
    }

    @Test("reads the spec from standard input with -")
    func standardInput() throws {
        let run = try attn("trace", "-", "--format", "summary", input: "tokens: [a, b]\nX: [[1, 0], [0, 1]]\n")
        #expect(run.status == 0)
        #expect(run.stdout.contains("normalization\t0\tα\t(2×2)"))
        let bad = try attn("trace", "-", input: "tokens: [a, b]\nX: [[1, 0], [0]]\n")
        #expect(bad.status == 1)
        #expect(bad.stderr == "<stdin>:2:13: X row 1 has 1 number but row 0 has 2: every row needs the same length\n")
    }

    @Test("text with a focus token works out its arithmetic")
    func focus() throws {
        let run = try attn("trace", "examples/i-am-good.yaml", "--focus", "am", "--decimals", "2")
        #expect(run.status == 0)
        #expect(run.stdout.contains("ω[am, good] = Q[am]·K[good] = 2×2 + 2×3 + 2×1 = 12"))
        let byIndex = try attn("trace", "examples/i-am-good.yaml", "--focus", "#1", "--decimals", "2")
        #expect(byIndex.stdout == run.stdout)
    }

    @Test("an unknown focus token is a clear error")
    func unknownFocus() throws {
        let run = try attn("trace", "examples/i-am-good.yaml", "--focus", "goood")
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr == "--focus 'goood' is not one of the tokens: did you mean 'good'? the tokens are I, am, good (or #0 … #2 by position)\n")
    }

    @Test("a bad spec prints path:line:column: message and exits 1, with nothing on stdout")
    func badSpec() throws {
        let path = try temporaryFile("tokens: [a, b]\nX: [[1, 2], [3, 4]]\nW_Q: [[1], [2], [3]]\nW_K: [[1], [2], [3]]\nW_V: [[1], [2], [3]]\n")
        let run = try attn("trace", path)
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr == "\(path):3:1: W_Q has 3 rows but X has 2 columns: W_Q needs one row per column of X (d_model = 2)\n")
    }

    @Test("hostile input never traps", arguments: [
        "", "\u{0}", "{", "[[[[", "tokens: [a]\nX: [[1e308]]\nscale: false", "tokens: [a]\nX: [[-1e308, 1e308]]",
        "tokens: [a]\nX: [[1]]\nheads: 99999999999999999999", "tokens: [a]\nX: {seed: 18446744073709551616}\nd_model: 1",
        "tokens: [a]\nd_model: 4096\nheads: 4096\nX: {seed: 1}", "tokens: &a [*a]", "tokens: [a]\nX: [[1]]\nmask: {padding: []}",
        "tokens: [a, b]\nX: [[1], [2]]\nsource: {tokens: [], X: []}", "tokens: [a]\nX: [[!!binary aGVsbG8=]]",
    ])
    func hostile(yaml: String) throws {
        let run = try attn("trace", "-", "--format", "summary", input: yaml)
        #expect(run.status == 0 || run.status == 1, "exit \(run.status): \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"))
        if run.status == 1 { #expect(run.stderr.hasPrefix("<stdin>:"), "\(run.stderr)") }
    }

    @Test("a missing file, a directory and a binary file are clear errors")
    func unreadable() throws {
        let missing = try attn("trace", "no/such.yaml")
        #expect(missing.status == 1 && missing.stderr == "attn: cannot read 'no/such.yaml': no such file\n")
        let directory = try attn("trace", "examples")
        #expect(directory.status == 1 && directory.stderr == "attn: cannot read 'examples': it is a directory, not a spec file\n")
        let binary = try temporaryFile("\u{FF}\u{FE}", name: "b.yaml")
        try Data([0xFF, 0xFE, 0x00, 0x41]).write(to: URL(fileURLWithPath: binary))
        let run = try attn("trace", binary)
        #expect(run.status == 1 && run.stderr == "\(binary):1:1: the file is not valid UTF-8 text: save it as UTF-8\n")
    }

    @Test("bad options are usage errors with a hint")
    func badOptions() throws {
        let decimals = try attn("trace", "examples/i-am-good.yaml", "--decimals", "40")
        #expect(decimals.status == 64 && decimals.stderr.contains("--decimals must be a whole number from 0 to 12, not 40."))
        let format = try attn("trace", "examples/i-am-good.yaml", "--format", "xml")
        #expect(format.status == 64 && format.stderr.contains("text") && format.stderr.contains("json"))
    }

    @Test("--help explains the command to a student")
    func help() throws {
        let root = try attn("--help")
        #expect(root.status == 0 && root.stdout.contains("Self-attention, traced step by step."))
        #expect(root.stdout.contains("trace"))
        let trace = try attn("trace", "--help")
        #expect(trace.status == 0)
        for phrase in ["Compute attention for a spec and show every stage.", "--focus", "--decimals", "summary", "docs/spec.md", "√d_k"] {
            #expect(trace.stdout.contains(phrase), "help should mention \(phrase)")
        }
    }

    @Test("the JSON trace validates against docs/trace-format.schema.json")
    func schema() throws {
        let spec = try temporaryFile("""
            tokens: [我, '<b>', '"']
            d_model: 4
            heads: 2
            X: {seed: 1}
            W_Q: {seed: 2}
            W_K: {seed: 3}
            W_V: {seed: 4}
            W_O: {seed: 5}
            mask: causal
            positional: sinusoidal
            """)
        let run = try attn("trace", spec, "--format", "json")
        #expect(run.status == 0)
        let json = try temporaryFile(run.stdout, name: "trace.json")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); trace = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(trace, schema, cls=jsonschema.Draft202012Validator)
            bad = dict(trace); bad["events"] = [dict(trace["events"][0], head=0)]
            try:
                jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator); print("schema too loose")
            except jsonschema.ValidationError:
                print("ok")
            """
        // The test tools' virtual environment (scripts/install-deps.sh --python test), else python3.
        let venv = repositoryRoot.appendingPathComponent(".build/venv/bin/python3")
        let python = FileManager.default.isExecutableFile(atPath: venv.path)
            ? try execute(venv, ["-c", script, "docs/trace-format.schema.json", json])
            : try execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, "docs/trace-format.schema.json", json])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == "ok\n", "\(python.stderr)")
    }
}

@Suite("attn trace --keep focus and the variants")
struct KeepFocusTests {
    @Test("--keep focus keeps the focus row: summary lines give the full shape and the kept row")
    func summary() throws {
        let run = try attn("trace", "examples/tiles.yaml", "--format", "summary", "--focus", "mat", "--keep", "focus")
        #expect(run.status == 0 && run.stderr.isEmpty)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("input\t-\tX\t(6×2)\tkept row 5, values in [0.0, 2.0]") == true)
        #expect(lines.contains("tiling\t0\tonline\t(2×7)"))
        #expect(lines.contains { $0.hasPrefix("context\t0\tZ\t(6×2)\tkept row 5") })
    }

    @Test("--focus needs the text format unless --keep focus; --keep focus needs a focus")
    func validation() throws {
        let json = try attn("trace", "examples/tiles.yaml", "--format", "json", "--focus", "mat")
        #expect(json.status != 0 && json.stderr.contains("--focus works with --format text only, or with --keep focus."))
        let kept = try attn("trace", "examples/tiles.yaml", "--format", "json", "--focus", "mat", "--keep", "focus")
        #expect(kept.status == 0)
        #expect(kept.stdout.contains("\"kept\": {\"rows\": [5], \"shape\": [6, 2]"))
        let noFocus = try attn("trace", "examples/tiles.yaml", "--keep", "focus")
        #expect(noFocus.status == 1 && noFocus.stderr.contains("--keep focus needs a focus token: add --focus TOKEN"))
    }

    @Test("the text format works out a decode step, a rotation and a window's reason")
    func workedVariants() throws {
        let run = try attn("trace", "examples/modern.yaml", "--focus", "lamp", "--decimals", "2")
        #expect(run.status == 0)
        for phrase in ["K = X·W_K  (K/V head 0 of 2, shared by query heads 0–1)", "Q_rot[lamp, 0] = Q[lamp, 0]·cos(pθ) − Q[lamp, 1]·sin(pθ)",
                       "cache ← [k | v] of lamp: K_cache and V_cache now hold 3 rows each", "α_t = softmax(ω_t / √d_k)",
                       "Z = [Z_prefill; z_t of each decode step]"] {
            #expect(run.stdout.contains(phrase), "\(phrase)")
        }
    }
}
