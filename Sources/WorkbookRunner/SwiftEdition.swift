import Foundation
import Terminal
import WorkbookChecks

/// Compiles the Swift edition one exercise at a time, so that a file that does not compile
/// fails only its own exercise, and helpers in two files never clash:
///
/// - exercise N's file (with workbook/harness/NotStarted.swift) is a module of its own,
///   `ExerciseNN`, which imports the modules of the earlier exercises it may call
///   (`WorkbookExercise.calls`: `attention` sees the public functions of exercises 1–6, and
///   nothing a student did not mark `public`);
/// - a small program, workbook/harness/Harness.swift and a generated main.swift that calls
///   exercise N's function with its stub's exact labels and types, is linked with them.
///
/// Everything goes to .build/workbook/swift/, each module and program in a folder named by
/// the hash of what made it, so that only what changed is compiled again.
final class SwiftEdition: @unchecked Sendable {
    let workbook: Workbook
    private var modules: [Int: Module] = [:]
    private lazy var compiler: String = {
        let run = ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["swiftc", "--version"], timeout: 60, environment: Self.quiet)
        return run.stdout + run.stderr
    }()
    /// No backtrace from the compiler itself (it can take many seconds).
    static let quiet = ["SWIFT_BACKTRACE": "enable=no"]

    init(_ workbook: Workbook) { self.workbook = workbook }

    enum Module {
        case built(name: String, key: String, folder: URL, objects: [URL], includes: [URL])
        case failed(String)
    }

    /// The call main.swift makes, with the stub's labels: a changed signature fails there.
    static let calls: [Int: String] = [
        1: "scores(query: a.vector(0), keys: a.matrix(1))",
        2: "scoreMatrix(queries: a.matrix(0), keys: a.matrix(1))",
        3: "project(a.matrix(0), a.matrix(1))",
        4: "scaled(a.matrix(0), dK: a.integer(1))",
        5: "softmaxRows(a.matrix(0))",
        6: "contextVector(weights: a.vector(0), values: a.matrix(1))",
        7: "attention(a.matrix(0), W_Q: a.matrix(1), W_K: a.matrix(2), W_V: a.matrix(3))",
        8: "causalWeights(a.matrix(0))",
        9: "splitHeads(a.matrix(0), heads: a.integer(1))",
        10: "concatenateHeads(a.matrices(0))",
        11: "crossAttention(a.matrix(0), source: a.matrix(1), W_Q: a.matrix(2), W_K: a.matrix(3), W_V: a.matrix(4))",
        12: "softmaxBackwardRow(weights: a.vector(0), dWeights: a.vector(1))",
        13: "valueGradient(weights: a.matrix(0), dZ: a.matrix(1))",
        14: "queryKeyGradients(dScores: a.matrix(0), queries: a.matrix(1), keys: a.matrix(2), dK: a.integer(3))",
        15: "decodeStep(query: a.vector(0), key: a.vector(1), value: a.vector(2), keys: a.matrix(3), values: a.matrix(4))",
        16: "onlineSoftmaxStep(m: a.number(0), l: a.number(1), o: a.vector(2), scores: a.vector(3), values: a.matrix(4))",
    ]

    var folder: URL { workbook.buildFolder.appendingPathComponent("swift") }

    static func moduleName(_ n: Int) -> String { String(format: "Exercise%02d", n) }

    func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    /// Exercise `n`'s module, compiled (or found already compiled).
    func module(_ n: Int) -> Module {
        if let done = modules[n] { return done }
        let result = compileModule(n)
        modules[n] = result
        return result
    }

    private func compileModule(_ n: Int) -> Module {
        guard let exercise = WorkbookExercise.numbered(n) else { return .failed("no exercise \(n)") }
        let file = workbook.exercises.appendingPathComponent(exercise.file)
        guard let source = read(file) else { return .failed("\(WorkbookRunner.display(file.path)): cannot read the file (is it missing? attn check --reset \(n) brings the stub back)") }
        let support = workbook.harness.appendingPathComponent("NotStarted.swift")
        var depends: [(name: String, key: String, objects: [URL], includes: [URL])] = []
        for callee in exercise.calls {
            if case .built(let name, let key, _, let objects, let includes) = module(callee) { depends.append((name, key, objects, includes)) }
        }
        let name = Self.moduleName(n)
        let key = contentKey(["module", name, compiler, source, read(support) ?? ""] + depends.flatMap { [$0.name, $0.key] })
        let target = folder.appendingPathComponent("\(name)-\(key)")
        let object = target.appendingPathComponent("\(name).o")
        let includes = Array(Set(depends.flatMap(\.includes))).sorted { $0.path < $1.path }
        let objects = Array(Set(depends.flatMap(\.objects))).sorted { $0.path < $1.path }
        if FileManager.default.fileExists(atPath: object.path) {
            return .built(name: name, key: key, folder: target, objects: objects + [object], includes: includes + [target])
        }
        if let error = read(target.appendingPathComponent("error.txt")) { return .failed(error) }
        let line = StatusLine()
        line.show("compiling \(exercise.file)")
        defer { line.clear() }
        let work = temporaryFolder()
        var arguments = ["swiftc", "-parse-as-library", "-Onone", "-gline-tables-only", "-module-name", name,
                         "-emit-module", "-emit-module-path", work.appendingPathComponent("\(name).swiftmodule").path,
                         "-c", "-wmo", "-o", work.appendingPathComponent("\(name).o").path]
        for include in includes { arguments += ["-I", include.path] }
        for d in depends { arguments += ["-Xfrontend", "-import-module", "-Xfrontend", d.name] }
        arguments += [file.path, support.path]
        let run = ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 600, environment: Self.quiet)
        if run.ending != .exited(0) {
            let message = firstError(run.stdout + run.stderr, ending: run.ending)
            try? message.write(to: work.appendingPathComponent("error.txt"), atomically: true, encoding: .utf8)
            settle(work, as: target)
            return .failed(message)
        }
        settle(work, as: target)
        return .built(name: name, key: key, folder: target, objects: objects + [object], includes: includes + [target])
    }

    enum Program {
        case built(URL)
        case failed(WorkbookRunner.Result)
    }

    /// Exercise `n`'s program: its module, linked with the harness and a main that calls it.
    func program(_ n: Int) -> Program {
        guard case .built(let name, let key, _, let objects, let includes) = module(n) else {
            if case .failed(let message) = module(n) { return .failed(.doesNotCompile(message)) }
            return .failed(.doesNotCompile("?"))
        }
        let main = "import \(name)\n\nserve { a in encode(\(Self.calls[n] ?? "")) }\n"
        let harness = workbook.harness.appendingPathComponent("Harness.swift")
        let programKey = contentKey(["program", key, read(harness) ?? "", main])
        let target = folder.appendingPathComponent(String(format: "program%02d-", n) + programKey)
        let executable = target.appendingPathComponent("exercise")
        if FileManager.default.isExecutableFile(atPath: executable.path) { return .built(executable) }
        if let error = read(target.appendingPathComponent("error.txt")) { return .failed(.doesNotCompile(error)) }
        let line = StatusLine()
        line.show("linking exercise \(n)")
        defer { line.clear() }
        let work = temporaryFolder()
        let mainFile = work.appendingPathComponent("main.swift")
        try? main.write(to: mainFile, atomically: true, encoding: .utf8)
        var arguments = ["swiftc", "-Onone", "-gline-tables-only", "-module-name", "ExerciseProgram"]
        for include in includes + [objects.last!.deletingLastPathComponent()] { arguments += ["-I", include.path] }
        arguments += [mainFile.path, harness.path] + objects.map(\.path) + ["-o", work.appendingPathComponent("exercise").path]
        let run = ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 600, environment: Self.quiet)
        if run.ending != .exited(0) {
            let message = signatureMessage(n, compiler: run.stdout + run.stderr)
            try? message.write(to: work.appendingPathComponent("error.txt"), atomically: true, encoding: .utf8)
            settle(work, as: target)
            return .failed(.doesNotCompile(message))
        }
        settle(work, as: target)
        return .built(executable)
    }

    private func temporaryFolder() -> URL {
        let url = folder.appendingPathComponent("tmp-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Moves a finished build into place (another `attn check` may have done it first).
    private func settle(_ work: URL, as target: URL) {
        do { try FileManager.default.moveItem(at: work, to: target) } catch { try? FileManager.default.removeItem(at: work) }
    }

    /// The compiler's first error, `file:line:column: error: message` and the line it is on.
    func firstError(_ output: String, ending: ChildProcess.Ending) -> String {
        let pattern = try! NSRegularExpression(pattern: #"^(.+?):(\d+):(\d+): error: (.*)$"#, options: .anchorsMatchLines)
        guard let match = pattern.firstMatch(in: output, range: NSRange(output.startIndex..., in: output)),
              let path = Range(match.range(at: 1), in: output).map({ String(output[$0]) }),
              let line = Range(match.range(at: 2), in: output).flatMap({ Int(output[$0]) }),
              let column = Range(match.range(at: 3), in: output).flatMap({ Int(output[$0]) }),
              let message = Range(match.range(at: 4), in: output).map({ String(output[$0]) }) else {
            let lines = output.split(separator: "\n").prefix(10).joined(separator: "\n")
            return lines.isEmpty ? "swiftc failed (\(ending))" : lines
        }
        var text = "\(WorkbookRunner.display(path)):\(line):\(column): error: \(message)"
        if let source = read(URL(fileURLWithPath: path)) {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if line >= 1, line <= lines.count { text += "\n" + WorkbookRunner.quote(String(lines[line - 1]), line: line, column: column) }
        }
        return text
    }

    /// Why main.swift did not compile: the student changed exercise `n`'s signature.
    func signatureMessage(_ n: Int, compiler: String) -> String {
        guard let exercise = WorkbookExercise.numbered(n) else { return compiler }
        let file = WorkbookRunner.display(workbook.exercises.appendingPathComponent(exercise.file).path)
        let solution = read(workbook.root.appendingPathComponent("Sources/WorkbookSolutions/\(exercise.file)")) ?? ""
        let expected = Self.declaration(of: exercise.swiftName, in: solution) ?? exercise.function
        var message = "\(file): the signature of \(exercise.swiftName) changed; it must be `\(expected)`"
        if let text = read(workbook.exercises.appendingPathComponent(exercise.file)) {
            if let yours = Self.declaration(of: exercise.swiftName, in: text) {
                if yours != expected { message += " (yours is `\(yours)`)" }
            } else {
                message += " (the file no longer declares `public func \(exercise.swiftName)(`)"
            }
        }
        return message + ". attn check calls it with exactly these labels and types: put them back, and keep any helper under another name."
    }

    /// `public func name(…) -> T`, whitespace collapsed, from Swift source; nil if absent.
    static func declaration(of name: String, in source: String) -> String? {
        guard let start = source.range(of: #"public\s+func\s+\#(name)\s*\("#, options: .regularExpression),
              let open = source[start.upperBound...].firstIndex(of: "{") else { return nil }
        return source[start.lowerBound..<open].split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
