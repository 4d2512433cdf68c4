import Diagnostics
import Foundation
import Terminal

/// The workbook runner, `attn-workbook`, built next to `attn`. `attn check` starts it once
/// per exercise, so that a student's code that traps or never returns ends that one process:
/// the run reports it and goes on.
public struct WorkbookRunner: Sendable {
    public let url: URL

    /// What `attn-workbook list` prints.
    public struct Catalog: Decodable, Sendable {
        /// Sources/Workbook and Sources/WorkbookSolutions, as absolute paths.
        public let workbook: String
        public let solutions: String
        public let exercises: [Exercise]
    }

    public struct Exercise: Decodable, Sendable {
        public let number: Int
        public let function: String
        public let title: String
        public let lesson: String
        public let file: String
        public let hint: String
    }

    /// How one exercise came out.
    public enum Result: Sendable {
        case passed(cases: Int)
        /// Wrong: the checks' message (case, first wrong number, likely mistake).
        case failed(String)
        case notStarted
        /// Calls an earlier exercise's function that is not started yet.
        case waiting(for: String)
        case crashed(String)
        case timedOut(seconds: Double)
        /// Not passing (`result`) while earlier exercises it calls are wrong themselves.
        indirect case callsWrong([Exercise], Result)

        public var isDone: Bool { if case .passed = self { return true } else { return false } }
        public var isNotStarted: Bool { if case .notStarted = self { return true } else { return false } }
        /// Attempted but not passing: wrong, crashed, hung, or waiting on another exercise.
        public var isWrong: Bool { !isDone && !isNotStarted }
    }

    static let name = "attn-workbook"

    /// `--runner PATH`, else attn-workbook next to this executable.
    public static func locate(_ override: String?) throws(Diagnostic) -> WorkbookRunner {
        if let override {
            guard FileManager.default.isExecutableFile(atPath: override) else {
                throw Diagnostic("attn check: --runner '\(override)' is not an executable file", at: nil)
            }
            return WorkbookRunner(url: URL(fileURLWithPath: override))
        }
        let me = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let url = me.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw Diagnostic("""
                attn check: the workbook runner is not built (looked for \(url.path)).
                Build it, then check again:
                  swift build --product attn-workbook
                or simply run `make check`, which builds it and runs attn check.
                """, at: nil)
        }
        return WorkbookRunner(url: url)
    }

    public func catalog() throws(Diagnostic) -> Catalog {
        let run = ChildProcess.run(url, ["list"], timeout: 60)
        guard case .exited(0) = run.ending,
              let catalog = try? JSONDecoder().decode(Catalog.self, from: Data(run.stdout.utf8)) else {
            throw Diagnostic("attn check: \(url.path) list did not work (\(run.ending)): \(run.stderr.trimmingCharacters(in: .whitespacesAndNewlines))", at: nil)
        }
        return catalog
    }

    /// Runs exercise `exercise`'s checks in a process of its own, for at most `timeout` seconds.
    /// `workbook` (Sources/Workbook) is where a crash is looked for in the stack trace.
    /// While it runs, a terminal on standard error shows "checking 5 · softmaxRows(_:)… (3 s)".
    public func check(_ exercise: Exercise, timeout: Double, workbook: String) -> Result {
        let line = StatusLine()
        line.show("checking \(exercise.number) · \(exercise.function)")
        let run = ChildProcess.run(url, ["check", String(exercise.number)], timeout: timeout)
        line.clear()
        // The report follows the last marker line; anything before it is the student's own output.
        let report = run.stdout.components(separatedBy: "\n@@attn-workbook@@ ").dropFirst().last ?? ""
        let status = report.prefix { $0 != "\n" }
        let message = String(report.dropFirst(status.count + 1)).trimmingCharacters(in: .newlines)
        switch run.ending {
        case .timedOut:
            return .timedOut(seconds: timeout)
        case .signalled(let signal):
            var reason = Self.crashReason(signal: signal, stderr: run.stderr)
            if let place = Self.crashPlace(in: run.stderr, under: workbook) { reason += " (at \(place))" }
            return .crashed(reason)
        case .exited(0) where status.hasPrefix("passed"):
            return .passed(cases: Int(status.split(separator: " ").last ?? "") ?? 0)
        case .exited(1) where status == "failed":
            return .failed(message + Self.printed(run.stdout))
        case .exited(3) where status.hasPrefix("not-started"):
            let function = String(status.dropFirst("not-started ".count))
            return function == exercise.function ? .notStarted : .waiting(for: function)
        case .exited(let code):
            return .crashed("the check ended with exit status \(code) (does your code call exit()?)")
        }
    }

    /// What the student's code printed before the report (print debugging), at most 20 lines.
    static func printed(_ stdout: String) -> String {
        guard let range = stdout.range(of: "\n@@attn-workbook@@ ", options: .backwards) else { return "" }
        var lines = Array(stdout[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).drop { $0.isEmpty })
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { return "" }
        let shown = lines.prefix(20).map { "  | " + $0 }.joined(separator: "\n")
        return "\nyour code printed:\n" + shown + (lines.count > 20 ? "\n  | … (\(lines.count - 20) more lines)" : "")
    }

    /// "Index out of range — …", from the Swift runtime's "file:line: Fatal error: message".
    static func crashReason(signal: Int32, stderr: String) -> String {
        if let line = stderr.split(separator: "\n").first(where: { $0.contains("Fatal error: ") }) {
            let parts = line.components(separatedBy: "Fatal error: ")
            let message = parts.dropFirst().joined(separator: "Fatal error: ")
            let place = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: ": "))
            let explained = explanations.first { message.hasPrefix($0.key) }.map { "\(message) — \($0.value)" } ?? message
            // The runtime names its own files (Swift/…); a student's fatalError names theirs.
            return place.isEmpty || place.hasPrefix("Swift/") ? explained : "\(explained) (at \(place))"
        }
        switch signal {
        case SIGSEGV, SIGBUS: return "signal \(signal), a segmentation fault — often a function that calls itself forever"
        case SIGILL, SIGTRAP: return "signal \(signal), a failed runtime check (an index out of range, a division by zero, an overflow or a nil unwrapped)"
        default: return "signal \(signal)"
        }
    }

    /// The innermost frame of the crash's stack trace in a workbook file, e.g.
    /// `Sources/Workbook/05-SoftmaxRows.swift:21:30` (from the Swift backtracer's
    /// "… in attn-workbook at /path/Sources/Workbook/05-SoftmaxRows.swift:21:30").
    static func crashPlace(in stderr: String, under workbook: String) -> String? {
        let prefix = " at " + workbook + "/"
        for line in stderr.split(separator: "\n") {
            guard let range = line.range(of: prefix) else { continue }
            let place = line[range.upperBound...].prefix { !$0.isWhitespace }
            let here = FileManager.default.currentDirectoryPath + "/"
            let full = workbook + "/" + place
            return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : full
        }
        return nil
    }

    static let explanations: [(key: String, value: String)] = [
        ("Index out of range", "an index past the end of an array (or below 0): check your loops' bounds against the shapes in the doc comment"),
        ("Division by zero", "an integer divided by 0"),
        ("Range requires lowerBound <= upperBound", "a range a..<b with a > b"),
        ("Unexpectedly found nil", "a ! on a value that was nil (for example max()! of an empty array)"),
        ("Arithmetic overflow", "an integer grew past its limit"),
        ("Not enough bits", "an integer conversion that does not fit"),
        ("Double value cannot be converted to Int", "Int(x) of an infinite or NaN number"),
    ].map { (key: $0.0, value: $0.1) }
}
