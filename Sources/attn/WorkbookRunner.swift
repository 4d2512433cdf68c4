import Diagnostics
import Foundation

/// The workbook runner, `attn-workbook`, built next to `attn`. `attn check` starts it once
/// per exercise, so that a student's code that traps or never returns ends that one process:
/// the run reports it and goes on.
struct WorkbookRunner {
    let url: URL

    /// What `attn-workbook list` prints.
    struct Catalog: Decodable {
        /// Sources/Workbook and Sources/WorkbookSolutions, as absolute paths.
        let workbook: String
        let solutions: String
        let exercises: [Exercise]
    }

    struct Exercise: Decodable {
        let number: Int
        let function: String
        let title: String
        let lesson: String
        let file: String
        let hint: String
    }

    /// How one exercise came out.
    enum Result {
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

        var isDone: Bool { if case .passed = self { return true } else { return false } }
        var isNotStarted: Bool { if case .notStarted = self { return true } else { return false } }
        /// Attempted but not passing: wrong, crashed, hung, or waiting on another exercise.
        var isWrong: Bool { !isDone && !isNotStarted }
    }

    static let name = "attn-workbook"

    /// `--runner PATH`, else attn-workbook next to this executable.
    static func locate(_ override: String?) throws(Diagnostic) -> WorkbookRunner {
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

    func catalog() throws(Diagnostic) -> Catalog {
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
    func check(_ exercise: Exercise, timeout: Double, workbook: String) -> Result {
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

/// Runs a program with a time limit, keeping the first 256 KiB of its output.
enum ChildProcess {
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        var description: String {
            switch self {
            case .exited(let code): return "exit status \(code)"
            case .signalled(let signal): return "signal \(signal)"
            case .timedOut: return "timed out"
            }
        }
    }

    struct Run {
        let ending: Ending
        let stdout: String
        let stderr: String
    }

    static let limit = 256 * 1024

    static func run(_ url: URL, _ arguments: [String], timeout: Double) -> Run {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // A crash prints a short stack trace (the crashed thread, with file:line), which
        // `crashPlace` reads; no colours, no prompts, no registers.
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,sanitize=no"
        process.environment = environment
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let (stdout, stderr) = (Capture(), Capture())
        let readers = DispatchGroup()
        do {
            try process.run()
        } catch {
            return Run(ending: .exited(127), stdout: "", stderr: "cannot start \(url.path): \(error.localizedDescription)")
        }
        stdout.drain(out.fileHandleForReading, in: readers)
        stderr.drain(err.fileHandleForReading, in: readers)
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        readers.wait()
        let ending: Ending = timedOut ? .timedOut
            : process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return Run(ending: ending, stdout: stdout.text, stderr: stderr.text)
    }

    /// Reads a pipe to its end on another thread, keeping at most `limit` bytes, so that a
    /// child that prints without end can neither block on a full pipe nor fill memory.
    final class Capture: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()

        func drain(_ handle: FileHandle, in group: DispatchGroup) {
            group.enter()
            Thread.detachNewThread {
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    self.lock.lock()
                    if self.data.count < ChildProcess.limit { self.data.append(chunk.prefix(ChildProcess.limit - self.data.count)) }
                    self.lock.unlock()
                }
                group.leave()
            }
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// Building the runner, and what to say when the build fails in a file the student never
/// edits: `Sources/attn-workbook/main.swift` names every workbook function with its exact
/// signature, so a changed signature (a renamed label, `[Double]` for `[[Double]]`) fails there.
enum WorkbookBuild {
    /// A workbook function as the runner calls it: the stub's file and its declaration, as in
    /// the reference solution, e.g. `public func softmaxRows(_ scores: [[Double]]) -> [[Double]]`.
    struct Signature: Equatable {
        let file: String
        let name: String
        let declaration: String
    }

    /// The package root, from this file's place in it (Sources/attn/WorkbookRunner.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every exercise's signature, from the reference solutions (`NN-Name.swift`).
    static func signatures(solutions: String) -> [Signature] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: solutions)) ?? [])
            .filter { $0.hasSuffix(".swift") && $0.prefix(2).allSatisfy(\.isNumber) }.sorted()
        return files.compactMap { file in
            guard let text = try? String(contentsOfFile: (solutions as NSString).appendingPathComponent(file), encoding: .utf8),
                  let range = text.range(of: #"public func (\w+)\("#, options: .regularExpression) else { return nil }
            let name = String(text[range].dropFirst("public func ".count).dropLast())
            return declaration(of: name, in: text).map { Signature(file: file, name: name, declaration: $0) }
        }
    }

    /// `public func name(…) -> T`, whitespace collapsed, from Swift source; nil if absent.
    static func declaration(of name: String, in source: String) -> String? {
        guard let start = source.range(of: #"public\s+func\s+\#(name)\s*\("#, options: .regularExpression),
              let open = source[start.upperBound...].firstIndex(of: "{") else { return nil }
        return source[start.lowerBound..<open].split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// For a failed build's compiler output: one message per workbook function whose changed
    /// signature breaks the runner (errors outside Sources/Workbook); none when every error is
    /// in the student's own files, where the compiler's messages speak for themselves.
    /// `stub` gives a workbook file's text, to show the student's declaration.
    static func explain(_ output: String, expected: [Signature], stub: (String) -> String?) -> [String] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let error = try! NSRegularExpression(pattern: #"^(.+?):(\d+):\d+: error: (.*)$"#)
        var messages: [String] = []
        var unexplained: [String] = []
        for (index, line) in lines.enumerated() {
            guard let match = error.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let path = Range(match.range(at: 1), in: line).map({ String(line[$0]) }),
                  !path.contains("Sources/Workbook/"), let number = Range(match.range(at: 2), in: line).map({ line[$0] }) else { continue }
            // The compiler shows the line it stopped at as " 21 |     softmaxRows: Workbook.softmaxRows(_:),".
            let shown = lines[(index + 1)...].prefix(12).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(number) |") } ?? ""
            let signature = expected.first { shown.contains("Workbook.\($0.name)(") }
                ?? expected.first { line.contains("'\($0.name)(") }
            guard let signature else { unexplained.append("\(path):\(number)"); continue }
            let file = "Sources/Workbook/\(signature.file)"
            var message = "\(file): the signature of \(signature.name) changed; it must be `\(signature.declaration)`"
            if let text = stub(signature.file) {
                if let yours = declaration(of: signature.name, in: text) {
                    if yours != signature.declaration { message += " (yours is `\(yours)`)" }
                } else {
                    message += " (the file no longer declares `public func \(signature.name)(`)"
                }
            }
            message += ". attn check calls it with exactly these labels and types: put them back, and keep any helper under another name."
            if !messages.contains(message) { messages.append(message) }
        }
        if messages.isEmpty, let first = unexplained.first {
            messages.append("\(first): the build failed in a file you do not edit. Has a function in Sources/Workbook lost the signature of its stub? Each must stay as its stub declares it (the doc comment's first line says which exercise).")
        }
        return messages
    }
}
