import Foundation
import TestSupport
import Testing

/// Runs attn with standard output going to `/dev/full`, where every write fails (ENOSPC).
func attnToFullDisk(_ arguments: [String], input: String? = nil) throws -> Run {
    try execute(attnBinary, arguments, input: input, standardOutput: "/dev/full")
}

/// Issue 10: what a newcomer trips over, each with a test that failed before its fix.
@Suite("a newcomer's first hour")
struct NewcomerTests {
    @Test("a write error is an error: every format, and --help, to /dev/full exits 1 with a message", arguments: [
        ["trace", "examples/i-am-good.yaml"],
        ["trace", "examples/i-am-good.yaml", "--format", "json"],
        ["trace", "examples/i-am-good.yaml", "--format", "summary"],
        ["--help"],
        ["trace", "--help"],
    ])
    func writeErrors(arguments: [String]) throws {
        let run = try attnToFullDisk(arguments)
        #expect(run.status == 1)
        #expect(run.stderr == "attn: cannot write the output: No space left on device\n")
    }

    static let block = """
        name: good
        title: "I am good"
        focus: am
        show: [similarity, normalization]
        decimals: 1
        notation: row
        tokens: [I, am, good]
        X: [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]
        W_Q: [[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]
        W_K: [[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]]
        W_V: [[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]]

        """

    @Test("a lesson block traces as it is: its focus, decimals and show are used, --focus and --decimals win")
    func lessonBlock() throws {
        let run = try attn("trace", "-", input: Self.block)
        #expect(run.status == 0, "\(run.stderr)")
        let headings = run.stdout.split(separator: "\n").filter { $0.hasPrefix("── ") }.map { $0.split(separator: " ")[1] }
        #expect(headings == ["similarity", "normalization"])
        #expect(run.stdout.contains("ω[am, good] = Q[am]·K[good] = 2×2 + 2×3 + 2×1 = 12"))   // whole numbers print as integers
        let overridden = try attn("trace", "-", "--focus", "good", "--decimals", "2", input: Self.block)
        #expect(overridden.stdout.contains("worked, row good"))
        #expect(!overridden.stdout.contains("worked, row am"))
        #expect(overridden.stdout.contains("α = exp / Σ     = [0.01, 0.75, 0.24]"))
        // The display options change nothing in the numbers: the JSON is the plain spec's.
        let options: Set<String> = ["name", "title", "focus", "show", "decimals", "notation", "reveal"]
        let plain = Self.block.components(separatedBy: "\n").filter { line in
            !options.contains(line.components(separatedBy: ":")[0])
        }
        let json = try attn("trace", "-", "--format", "json", input: Self.block)
        let plainJSON = try attn("trace", "-", "--format", "json", input: plain.joined(separator: "\n") + "\n")
        #expect(json.status == 0 && json.stdout == plainJSON.stdout)
    }

    @Test("a display option inside a spec file says where it belongs")
    func displayOptionInSpecFile() throws {
        let spec = try temporaryFile("tokens: [a, b]\nX: [[1, 0], [0, 1]]\nfocus: a\n", name: "inner.yaml")
        let block = URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("block.yaml").path
        try "spec: inner.yaml\nfocus: a\n".write(toFile: block, atomically: true, encoding: .utf8)
        let inner = try attn("trace", block)
        #expect(inner.status == 1)
        #expect(inner.stderr == "\(spec):3:1: 'focus' is a display option of a lesson's attention block (name, title, focus, show, decimals, notation, reveal), not part of a spec: put it in the block, next to spec:\n")
        try "spec: inner.yaml\nfocus: b\n".write(toFile: block, atomically: true, encoding: .utf8)
        try "tokens: [a, b]\nX: [[1, 0], [0, 1]]\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let ok = try attn("trace", block)
        #expect(ok.status == 0 && ok.stdout.contains("worked, row b"), "\(ok.stderr)")
    }

    @Test("a repeated label is an error for --focus as in a lesson; #N picks one")
    func repeatedFocus() throws {
        let spec = "tokens: [the, cat, saw, the, dog]\nX: [[1, 0], [0, 1], [1, 1], [2, 0], [0, 2]]\n"
        let run = try attn("trace", "-", "--focus", "the", input: spec)
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr == "--focus 'the' is tokens #0, #3: pick one by number, e.g. --focus '#3'\n")
        let numbered = try attn("trace", "-", "--focus", "#3", input: spec)
        #expect(numbered.status == 0 && numbered.stdout.contains("worked, row the"))
        let block = try attn("trace", "-", input: spec + "focus: the\n")
        #expect(block.status == 1)
        #expect(block.stderr == "<stdin>:3:8: focus 'the' is tokens #0, #3: pick one by number, e.g. focus: '#3' (quoted: # starts a YAML comment)\n")
    }

    @Test("huge values print in scientific notation, in the terminal")
    func hugeValues() throws {
        let run = try attn("trace", "-", "--decimals", "2", input: "tokens: [a, b]\nX: [[1e100, 0], [0, -3e12]]\nscale: false\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("1.00e+100"))
        #expect(run.stdout.contains("−3.00e+12"))
        let longest = run.stdout.components(separatedBy: "\n").map(\.count).max() ?? 0
        #expect(longest < 80, "no line should be wrecked by a 100-digit number")
    }

    @Test("huge values print in scientific notation on a lesson page too")
    func hugeValuesInHTML() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attn-huge-\(UUID().uuidString)")
        let lessons = folder.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            ---
            title: Huge
            summary: Big numbers.
            objectives:
              - See a big number
            ---

            ```attention
            tokens: [a, b]
            X: [[1e12, 0], [0, 1]]
            scale: false
            ```

            """.write(to: lessons.appendingPathComponent("01-huge.md"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("site").path
        let run = try attn("build", "--quiet", "--lessons", lessons.path, "--out", out)
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: out + "/huge.html", encoding: .utf8)
        #expect(page.contains("1.00e+12"))
        #expect(!page.contains("1000000000000.00"))
    }

    @Test("control characters in token labels are escaped on the terminal, in traces and in messages")
    func controlCharacters() throws {
        let run = try attn("trace", "-", "--focus", "#0", input: "tokens: [\"a\\nb\", \"\\e[31mred\"]\nX: [[1, 0], [0, 1]]\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("\u{1B}"))
        #expect(run.stdout.contains("a\\nb") && run.stdout.contains("\\e[31mred"))
        // Every table row is still one line: each label stays on its row.
        #expect(run.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("   b ") || $0 == "b" }.isEmpty)
        let message = try attn("trace", "-", "--focus", "\u{1B}]0;pwned\u{7}", input: "tokens: [a]\nX: [[1]]\n")
        #expect(message.status == 1)
        #expect(!message.stderr.contains("\u{1B}") && !message.stderr.contains("\u{7}"))
        #expect(message.stderr.contains("\\e]0;pwned\\u{7}"))
    }

    @Test("a JSON trace over 100 MB is announced before it is written")
    func largeJSONWarning() throws {
        let tokens = (0..<1300).map { "t\($0)" }.joined(separator: ", ")
        let spec = try temporaryFile("tokens: [\(tokens)]\nd_model: 2\nX: {seed: 1}\n")
        // To /dev/full: the warning comes first, then the first write fails at once.
        let run = try attnToFullDisk(["trace", spec, "--format", "json"])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("attn: warning: this JSON trace is about 1") == true)
        #expect(lines.first?.hasSuffix(" MB (5 events); --format summary, or the text format with --focus, print far less") == true)
        #expect(lines.last == "attn: cannot write the output: No space left on device")
        let small = try attn("trace", "examples/i-am-good.yaml", "--format", "json")
        #expect(small.status == 0 && small.stderr.isEmpty)
    }

    @Test("--decimals -1 is explained, not 'Missing value'")
    func negativeDecimals() throws {
        let run = try attn("trace", "examples/i-am-good.yaml", "--decimals", "-1")
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: --decimals must be a whole number from 0 to 12, not -1.\n"))
    }

    @Test("on a terminal, a long trace shows what it is doing on standard error; piped, nothing")
    func progress() throws {
        // `script` runs the command on a pseudo-terminal (util-linux, on every Debian).
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path))
        let command = "'\(attnBinary.path)' trace examples/i-am-good.yaml --format summary"
        let run = try execute(script, ["-qec", command, "/dev/null"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("tracing 3 tokens, 1 head…"))
        #expect(run.stdout.contains("input\t-\tX\t(3×4)"))
        let piped = try attn("trace", "examples/i-am-good.yaml", "--format", "summary")
        #expect(piped.stderr.isEmpty)
    }
}

@Suite("attn worksheet, as a user runs it")
struct WorksheetCommandTests {
    @Test("a lesson with nothing to fill in: exit 1, the reason, and no file written")
    func nothingToFill() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attn-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lesson = folder.appendingPathComponent("01-inputs.md")
        try """
            ---
            title: Inputs
            summary: Only inputs.
            objectives:
              - Read inputs
            ---

            ```attention
            show: [input]
            tokens: [I, am]
            X: [[1, 0], [0, 1]]
            ```

            """.write(to: lesson, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("sheets")
        let run = try attn("worksheet", lesson.path, "--out", out.path)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("no attention block of this lesson leaves a cell to fill in on a worksheet"))
        #expect(run.stderr.hasSuffix("attn: no worksheet was written\n"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "no sheet, key or answers file")
        // Lesson 10's big blocks now give a worksheet with blanks (the focus row).
        let big = try attn("worksheet", "10", "--out", out.path)
        #expect(big.status == 0, "\(big.stderr)")
        let sheet = try String(contentsOfFile: out.appendingPathComponent("at-real-scale-worksheet.html").path, encoding: .utf8)
        #expect(sheet.contains("<td class=\"blank\"></td>"))
    }

    @Test("worksheet writes the answers file beside the sheet; check --worksheet grades it: exit 0 when blank or right, 1 when a cell is wrong or the file is bad")
    func checkWorksheet() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("attn-sheet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try attn("worksheet", "5", "--out", out.path)
        #expect(run.status == 0, "\(run.stderr)")
        let names = ["where-to-look-worksheet.html", "where-to-look-key.html", "where-to-look-worksheet.answers.yaml"]
        #expect(run.stdout == names.map { "wrote \(out.appendingPathComponent($0).path)\n" }.joined())
        let answers = out.appendingPathComponent(names[2]).path
        let blank = try attn("check", "--worksheet", answers)
        #expect(blank.status == 0 && blank.stdout.contains("not answered"), "\(blank.stderr)")
        // The first cell of the sheet (Q[love, 0]) given a number no hand work gives.
        let template = try String(contentsOfFile: answers, encoding: .utf8)
        var lines = template.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(lines.firstIndex { $0.hasPrefix("        ") && $0.hasSuffix(":") })
        lines[first] += " 12345"
        let wrongFile = out.appendingPathComponent("wrong.yaml").path
        try lines.joined(separator: "\n").write(toFile: wrongFile, atomically: true, encoding: .utf8)
        let wrong = try attn("check", "--worksheet", wrongFile)
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("\(wrongFile):\(first + 1):\(lines[first].count - 4): "), "\(wrong.stdout)")
        #expect(wrong.stdout.contains("got 12345"))
        // A bad file: its line and column, exit 1, nothing on standard output, no stack trace.
        lines[first] = lines[first].replacingOccurrences(of: "12345", with: "twelve")
        try lines.joined(separator: "\n").write(toFile: wrongFile, atomically: true, encoding: .utf8)
        let bad = try attn("check", "--worksheet", wrongFile)
        #expect(bad.status == 1 && bad.stdout.isEmpty)
        #expect(bad.stderr.hasPrefix("\(wrongFile):\(first + 1):\(lines[first].count - 5): 'twelve' is not a number"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("Fatal") && !bad.stderr.contains("Stack"))
    }
}
