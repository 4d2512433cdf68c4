import Foundation
import WorkbookChecks

/// One exercise's program, running: `attn` writes a call (a JSON array of arguments) on its
/// standard input and reads the result after the marker on its standard output; the checks
/// (WorkbookChecks) judge the results here, in `attn`. The program is the student's code and
/// nothing else — compiled Swift (Harness.swift) or Python (run_exercise.py) — so a crash, an
/// exception or an endless loop ends it, not the check run.
///
/// Once the program fails (crashes, raises, hangs, reaches a stub) every further call returns
/// nothing at once, and `failure` says what happened: the check's own verdict is then moot.
final class ExerciseSession: @unchecked Sendable {
    static let marker = "@@attn-workbook@@ "

    let exercise: WorkbookRunner.Exercise
    let catalog: WorkbookRunner.Catalog
    private let process = Process()
    private let input = Pipe()
    private let deadline: Date
    private let timeout: Double
    private let stderr = ChildProcess.Capture()
    private let errReaders = DispatchGroup()
    private let lines = LineQueue()
    private(set) var failure: WorkbookRunner.Result?
    /// What the student's code printed, in order (at most 200 lines kept).
    private(set) var printed: [String] = []
    private var started = false

    init(_ exercise: WorkbookRunner.Exercise, catalog: WorkbookRunner.Catalog, program: URL, arguments: [String], timeout: Double) {
        self.exercise = exercise
        self.catalog = catalog
        self.timeout = timeout
        deadline = Date().addingTimeInterval(timeout)
        process.executableURL = program
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // A crash prints a short stack trace (the crashed thread, with file:line), which
        // `crashPlace` reads; no colours, no prompts, no registers.
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,sanitize=no"
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        process.standardInput = input
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        signal(SIGPIPE, SIG_IGN)
        do {
            try process.run()
            started = true
            ActiveChild.set(process.processIdentifier)
        } catch {
            failure = .crashed("cannot start \(program.path): \(error.localizedDescription)")
            return
        }
        lines.drain(out.fileHandleForReading)
        stderr.drain(err.fileHandleForReading, in: errReaders)
    }

    /// Calls the exercise's function; nil once the program has failed.
    func call(_ arguments: [JSONLine]) -> JSONLine? {
        guard failure == nil else { return nil }
        let line = Array((JSONLine.list(arguments).text + "\n").utf8)
        let written = line.withUnsafeBytes { buffer in
            Glibc.write(input.fileHandleForWriting.fileDescriptor, buffer.baseAddress, buffer.count)
        }
        if written != line.count { ended(); return nil }
        while true {
            switch lines.next(before: deadline) {
            case .timedOut:
                kill(process.processIdentifier, SIGKILL)
                failure = .timedOut(seconds: timeout)
                return nil
            case .ended:
                ended()
                return nil
            case .line(let text):
                guard text.hasPrefix(Self.marker) else {
                    if printed.count < 200 { printed.append(text) }
                    continue
                }
                let reply = text.dropFirst(Self.marker.count)
                let kind = String(reply.prefix { $0 != " " })
                let rest = String(reply.dropFirst(kind.count + 1))
                switch kind {
                case "ok":
                    guard let value = JSONLine.parse(rest) else {
                        failure = .failed("the program's reply is not JSON: \(rest.prefix(80))")
                        return nil
                    }
                    return value
                case "not-started":
                    failure = rest == exercise.name || rest == exercise.function ? .notStarted : .waiting(for: catalog.display(function: rest))
                case "syntax":
                    failure = .doesNotCompile(Self.syntaxMessage(rest, catalog: catalog))
                case "error":
                    failure = .crashed(Self.exceptionMessage(rest))
                case "bad":
                    failure = .failed("your function returned something that is not numbers: \(rest)")
                case "no-numpy":
                    failure = .crashed("\(rest) cannot import numpy. Install it (scripts/install-deps.sh --python test puts it in "
                        + ".build/venv, which attn check uses), or run attn check --python with a python3 that has NumPy "
                        + "first on your PATH")
                default:
                    failure = .crashed("unexpected reply from the program: \(text.prefix(80))")
                }
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
        }
    }

    /// A result the checks could not use (a number where a matrix belongs, …): the exercise fails.
    func reject(_ value: JSONLine, expected: String) {
        guard failure == nil else { return }
        let got: String
        switch value.depth {
        case 0: got = "a single number, \(value.text)"
        case 1: got = "a list of numbers (a vector)"
        case 2: got = "a list of lists of numbers (a matrix)"
        default: got = "lists nested \(value.depth) deep"
        }
        failure = .failed("your function returned \(got), but it must return \(expected) (see the shapes in its doc comment)." + printedText)
        kill(process.processIdentifier, SIGKILL)
    }

    /// The program ended or its standard input closed: why.
    private func ended() {
        guard failure == nil else { return }
        let remaining = max(0.1, deadline.timeIntervalSinceNow)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { self.process.waitUntilExit(); done.signal() }
        if done.wait(timeout: .now() + remaining) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            failure = .timedOut(seconds: timeout)
            return
        }
        errReaders.wait()
        let text = stderr.text
        if process.terminationReason == .uncaughtSignal {
            var reason = WorkbookRunner.crashReason(signal: process.terminationStatus, stderr: text)
            if let place = WorkbookRunner.crashPlace(in: text, under: catalog.workbook) { reason += " (at \(place))" }
            failure = .crashed(reason)
        } else {
            let note = text.split(separator: "\n").last.map { ": \($0)" } ?? ""
            failure = .crashed("the program ended with exit status \(process.terminationStatus) (does your code call exit()?)\(note)")
        }
    }

    /// Ends the program (standard input closed, then killed if it lingers).
    func close() {
        guard started else { return }
        try? input.fileHandleForWriting.close()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { self.process.waitUntilExit(); done.signal() }
        if done.wait(timeout: .now() + 2) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        ActiveChild.set(0)
    }

    /// What the student's code printed, as a report shows it under a failure.
    var printedText: String {
        let shown = Array(printed.drop { $0.isEmpty })
        guard !shown.isEmpty else { return "" }
        return "\nyour code printed:\n" + shown.prefix(20).map { "  | " + $0 }.joined(separator: "\n")
            + (shown.count > 20 ? "\n  | … (\(shown.count - 20) more lines)" : "")
    }

    // MARK: Python's replies

    static func syntaxMessage(_ json: String, catalog: WorkbookRunner.Catalog) -> String {
        let fields = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        let file = (fields["file"] as? String).map(WorkbookRunner.display) ?? "?"
        let line = fields["line"] as? Int ?? 0, column = fields["column"] as? Int ?? 0
        let code = fields["code"] as? String ?? ""
        var text = "\(file):\(line):\(column): \(fields["message"] as? String ?? "SyntaxError")"
        if !code.isEmpty { text += "\n" + WorkbookRunner.quote(code, line: line, column: column) }
        return text
    }

    static func exceptionMessage(_ json: String) -> String {
        let fields = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        let type = fields["type"] as? String ?? "an exception"
        let message = (fields["message"] as? String).map { $0.isEmpty ? "" : ": " + $0 } ?? ""
        var text = "\(type)\(message)"
        if let file = fields["file"] as? String, let line = fields["line"] as? Int {
            text += " (at \(WorkbookRunner.display(file)):\(line)"
            if let code = fields["code"] as? String, !code.isEmpty { text += ": \(code)" }
            text += ")"
        }
        return text
    }
}

/// The lines a program writes, read on a thread of their own so that reading can time out.
final class LineQueue: @unchecked Sendable {
    enum Next { case line(String), ended, timedOut }
    private let condition = NSCondition()
    private var pending: [String] = []
    private var partial = Data()
    private var done = false

    func drain(_ handle: FileHandle) {
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                self.condition.lock()
                if chunk.isEmpty {
                    if !self.partial.isEmpty { self.pending.append(String(decoding: self.partial, as: UTF8.self)) }
                    self.done = true
                    self.condition.broadcast()
                    self.condition.unlock()
                    break
                }
                self.partial.append(chunk)
                while let newline = self.partial.firstIndex(of: 10) {
                    self.pending.append(String(decoding: self.partial[self.partial.startIndex..<newline], as: UTF8.self))
                    self.partial = Data(self.partial[(newline + 1)...])
                }
                self.condition.broadcast()
                self.condition.unlock()
            }
        }
    }

    func next(before deadline: Date) -> Next {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !done {
            if !condition.wait(until: deadline) && pending.isEmpty && !done { return .timedOut }
        }
        if pending.isEmpty { return .ended }
        return .line(pending.removeFirst())
    }
}

/// The exercise program running now, so that Ctrl-C in `attn check --watch` can end it too.
enum ActiveChild {
    nonisolated(unsafe) private static var pid: Int32 = 0
    private static let lock = NSLock()
    static func set(_ value: Int32) { lock.lock(); pid = value; lock.unlock() }
    static func kill() { lock.lock(); if pid > 0 { Glibc.kill(pid, SIGKILL) }; lock.unlock() }
}

extension ExerciseSession {
    /// The checks' view of this program: every function of `Implementations` calls it (each
    /// check calls only its own exercise's function).
    var implementations: Implementations {
        func vector(_ v: JSONLine?) -> [Double] {
            guard let v else { return [] }
            if let x = v.asVector { return x }
            reject(v, expected: "a list of numbers (a vector)")
            return []
        }
        func matrix(_ v: JSONLine?) -> [[Double]] {
            guard let v else { return [] }
            if let x = v.asMatrix { return x }
            reject(v, expected: "a matrix (a list of rows, each a list of numbers)")
            return []
        }
        func matrices(_ v: JSONLine?) -> [[[Double]]] {
            guard let v else { return [] }
            if let x = v.asMatrices { return x }
            reject(v, expected: "a list of matrices, one per head")
            return []
        }
        return Implementations(
            scores: { q, k in vector(self.call([.vector(q), .matrix(k)])) },
            scoreMatrix: { q, k in matrix(self.call([.matrix(q), .matrix(k)])) },
            project: { x, w in matrix(self.call([.matrix(x), .matrix(w)])) },
            scaled: { s, d in matrix(self.call([.matrix(s), .integer(d)])) },
            softmaxRows: { s in matrix(self.call([.matrix(s)])) },
            contextVector: { w, v in vector(self.call([.vector(w), .matrix(v)])) },
            attention: { x, q, k, v in matrix(self.call([.matrix(x), .matrix(q), .matrix(k), .matrix(v)])) },
            causalWeights: { s in matrix(self.call([.matrix(s)])) },
            splitHeads: { m, h in matrices(self.call([.matrix(m), .integer(h)])) },
            concatenateHeads: { h in matrix(self.call([.matrices(h)])) },
            crossAttention: { x, s, q, k, v in matrix(self.call([.matrix(x), .matrix(s), .matrix(q), .matrix(k), .matrix(v)])) },
            softmaxBackwardRow: { w, d in vector(self.call([.vector(w), .vector(d)])) },
            valueGradient: { w, dZ in matrix(self.call([.matrix(w), .matrix(dZ)])) },
            // Exercise 14 answers with a pair, 15 and 16 with a tuple: both editions write a list of the parts.
            queryKeyGradients: { s, q, k, d in
                guard let reply = self.call([.matrix(s), .matrix(q), .matrix(k), .integer(d)]) else { return ([], []) }
                guard let parts = reply.asMatrices, parts.count == 2 else {
                    self.reject(reply, expected: "two matrices, the pair (dQ, dK)")
                    return ([], [])
                }
                return (parts[0], parts[1])
            },
            decodeStep: { q, k, v, keys, values in
                guard let reply = self.call([.vector(q), .vector(k), .vector(v), .matrix(keys, columns: k.count), .matrix(values, columns: v.count)])
                else { return ([], [], []) }
                guard case .list(let parts) = reply, parts.count == 3, let newKeys = parts[0].asMatrix, let newValues = parts[1].asMatrix,
                      let z = parts[2].asVector else {
                    self.reject(reply, expected: "three things, (keys, values, z): the grown cache's keys and values (two matrices) and z (a vector)")
                    return ([], [], [])
                }
                return (newKeys, newValues, z)
            },
            onlineSoftmaxStep: { m, l, o, scores, values in
                guard let reply = self.call([.number(m), .number(l), .vector(o), .vector(scores), .matrix(values)]) else { return (.nan, .nan, []) }
                guard case .list(let parts) = reply, parts.count == 3, let newM = parts[0].asNumber, let newL = parts[1].asNumber,
                      let newO = parts[2].asVector else {
                    self.reject(reply, expected: "three things, (m, l, o): two numbers and a vector")
                    return (.nan, .nan, [])
                }
                return (newM, newL, newO)
            })
    }

    /// Runs the exercise's checks against this program and ends it.
    func check(_ exercise: WorkbookExercise) -> WorkbookRunner.Result {
        if let failure { return failure }
        let outcome = exercise.check(implementations)
        close()
        if let failure { return failure }
        switch outcome {
        case .passed(let cases): return .passed(cases: cases)
        case .failed(let f): return .failed(f.message + printedText)
        }
    }
}
