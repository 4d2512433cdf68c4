import Foundation
import TestSupport
import Testing
import WorkbookChecks
@testable import WorkbookRunner

/// `attn check` run as a student runs it, on scratch copies of the workbook with real code in
/// them: each Swift exercise is compiled on its own, so these tests compile (the folder of
/// compiled exercises is shared, and only what changed is compiled again).
@Suite("attn check")
struct CheckCommandTests {
    static let exercises = WorkbookExercise.all
    static let count = WorkbookExercise.all.count

    // Student code, each doing one thing.
    static let loop = "public func softmaxRows(_ scores: [[Double]]) -> [[Double]] {\n    var spins = 0\n    while true { spins &+= 1; if spins == 0 { print(\"\") } }\n}\n"
    static let crash = "public func scoreMatrix(queries: [[Double]], keys: [[Double]]) -> [[Double]] {\n    let empty: [[Double]] = []\n    return [empty[queries.count]]\n}\n"
    static let divide = "public func scaled(_ scores: [[Double]], dK: Int) -> [[Double]] {\n    let zero = dK - dK\n    return [[Double(1 / zero)]]\n}\n"
    static let waiting = "public func contextVector(weights: [Double], values: [[Double]]) -> [Double] {\n    softmaxRows([weights])[0]\n}\n"
    /// Exercises 1 and 3 solved, each with a helper of the same name: they must not clash.
    static let scoresWithHelper = "func helper(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }\n\npublic func scores(query: [Double], keys: [[Double]]) -> [Double] {\n    keys.map { helper(query, $0) }\n}\n"
    static let projectWithHelper = "func helper(_ W: [[Double]], _ c: Int) -> [Double] { W.map { $0[c] } }\n\npublic func project(_ X: [[Double]], _ W: [[Double]]) -> [[Double]] {\n    X.map { x in (0..<W[0].count).map { c in zip(x, helper(W, c)).reduce(0) { $0 + $1.0 * $1.1 } } }\n}\n"
    static let syntaxError = "import Foundation\n\npublic func project(_ X: [[Double]], _ W: [[Double]]) -> [[Double]] {\n    let rows = X.map { row in\n    return rows\n}\n"

    /// The overview line of exercise `n`.
    static func line(_ n: Int, in output: String) -> String {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix("  ") && $0.dropFirst(4).hasPrefix(String(format: "%2d  ", n)) } ?? ""
    }

    @Test("the workbook as shipped: nothing done, nothing wrong, exit 0, exercise 1 next",
          .enabled(if: workbookIsAsShipped, "some exercises of Sources/Workbook are no longer stubs"))
    func shippedWorkbook() throws {
        let run = try attn("check")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("0 of \(exerciseCount) done · 0 wrong · \(exerciseCount) not started"))
        #expect(run.stdout.contains("  ·  1  dot-product scores for one query"))
        #expect(run.stdout.contains("Next: exercise 1 · scores(query:keys:)"))
        #expect(run.stdout.contains("hint: \(Self.exercises[0].hint)"))
    }

    @Test("issue 14: exercise 1 right and exercise 3 with a syntax error: 1 ✓, 3 does not compile with its file and line, the rest checked")
    func doesNotCompile() throws {
        let root = try scratchWorkbook(swift: ["01-Scores.swift": try solution(1), "03-Project.swift": Self.syntaxError])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try attn("check", in: root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(Self.line(1, in: run.stdout).hasSuffix("4 cases pass"), "\(run.stdout)")
        #expect(Self.line(3, in: run.stdout).hasPrefix("  ✗  3") && Self.line(3, in: run.stdout).contains("does not compile: 03-Project.swift:"), "\(run.stdout)")
        for n in exerciseNumbers where n != 1 && n != 3 { #expect(Self.line(n, in: run.stdout).hasPrefix("  ·"), "exercise \(n):\n\(run.stdout)") }
        #expect(run.stdout.contains("1 of \(exerciseCount) done · 1 wrong · \(exerciseCount - 2) not started"))
        #expect(run.stdout.contains("Next: exercise 3 · project(_:_:)"))
        // The compiler's first error, at file:line:column, and the line it is on.
        #expect(run.stdout.range(of: #"Sources/Workbook/03-Project\.swift:\d+:\d+: error: "#, options: .regularExpression) != nil, "\(run.stdout)")
        #expect(run.stdout.contains("Each exercise is compiled on its own, so the others are still checked."))
    }

    @Test("a crash, a division by zero, an endless loop and a call to a stub each fail their exercise, and the run goes on; helpers do not clash")
    func isolation() throws {
        let root = try scratchWorkbook(swift: ["01-Scores.swift": Self.scoresWithHelper, "02-ScoreMatrix.swift": Self.crash,
                                               "03-Project.swift": Self.projectWithHelper, "04-Scaled.swift": Self.divide,
                                               "05-SoftmaxRows.swift": Self.loop, "06-ContextVector.swift": Self.waiting])
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try attn("check", "--timeout", "1", in: root)   // compiles
        let start = Date()
        let run = try attn("check", "--timeout", "2", in: root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(Date().timeIntervalSince(start) < 40)
        let line = { (n: Int) in Self.line(n, in: run.stdout) }
        #expect(line(1).hasPrefix("  ✓  1  dot-product scores for one query") && line(1).hasSuffix("4 cases pass"), "\(line(1))")
        #expect(line(2).hasPrefix("  ✗  2") && line(2).hasSuffix("crashed: Index out of range"), "\(line(2))")
        #expect(line(3).hasPrefix("  ✓  3"), "\(line(3))")
        #expect(line(4).hasPrefix("  ✗  4") && line(4).hasSuffix("crashed: Division by zero"), "\(line(4))")
        #expect(line(5).hasPrefix("  ✗  5") && line(5).hasSuffix("timed out after 2 s"), "\(line(5))")
        // Exercise 6 may not call softmaxRows (it is not among its earlier exercises): it does
        // not compile, and the softmaxRows it calls is wrong itself (it hangs), so that comes first.
        #expect(line(6).hasPrefix("  ✗  6") && line(6).hasSuffix("calls softmaxRows(_:), which is wrong"), "\(line(6))")
        for n in exerciseNumbers where n >= 7 { #expect(!line(n).isEmpty, "exercise \(n) missing:\n\(run.stdout)") }
        #expect(run.stdout.contains("Next: exercise 2 · scoreMatrix(queries:keys:)"))
        #expect(run.stdout.contains("It crashed: Index out of range — an index past the end of an array"))
        #expect(run.stdout.contains("Sources/Workbook/02-ScoreMatrix.swift:3"), "the crash names the student's line:\n\(run.stdout)")
        let six = try attn("check", "6", in: root)
        #expect(six.stdout.contains("Sources/Workbook/06-ContextVector.swift:2:5: error: cannot find 'softmaxRows' in scope"), "\(six.stdout)")
    }

    @Test("one exercise in full: passed, hung, waiting for a stub it calls")
    func single() throws {
        let waitingAttention = "public func attention(_ X: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]] {\n    softmaxRows(X)\n}\n"
        let root = try scratchWorkbook(swift: ["05-SoftmaxRows.swift": try solution(5), "08-CausalWeights.swift": Self.loop.replacingOccurrences(of: "softmaxRows", with: "causalWeights"),
                                               "07-Attention.swift": waitingAttention])
        defer { try? FileManager.default.removeItem(at: root) }
        let passed = try attn("check", "5", in: root)
        #expect(passed.status == 0)
        #expect(passed.stdout == """
            ✓ exercise 5 · softmaxRows(_:) — a numerically stable softmax of each row
              file:   Sources/Workbook/05-SoftmaxRows.swift
              lesson: lessons/05-where-to-look.md

            It passes all 7 cases. See the reference solution with: attn check --solution 5

            """)
        let hung = try attn("check", "8", "--timeout", "1", in: root)
        #expect(hung.status == 1)
        #expect(hung.stdout.contains("It was stopped after 1 s: a loop that never ends?"))
        #expect(hung.stdout.contains("hint: \(Self.exercises[7].hint)"))
        // Exercise 7 calls softmaxRows of exercise 5, which is now solved: exercise 7 is wrong on its own.
        let reset = try attn("check", "--reset", "5", "--yes", in: root)
        #expect(reset.status == 0 && reset.stdout.hasPrefix("Exercise 5 is a stub again"), "\(reset.stdout)\(reset.stderr)")
        let waiting = try attn("check", "7", in: root)
        #expect(waiting.status == 1)
        #expect(waiting.stdout.contains("Your code calls softmaxRows(_:) (exercise 5), which is not started yet: do that one first."), "\(waiting.stdout)")
    }

    @Test("an exercise that calls a wrong earlier one says to fix that one first")
    func blame() throws {
        let naive = "import Foundation\n\npublic func softmaxRows(_ scores: [[Double]]) -> [[Double]] {\n    scores.map { row in let e = row.map { exp($0) }; let t = e.reduce(0, +); return e.map { $0 / t } }\n}\n"
        let root = try scratchWorkbook(swift: ["05-SoftmaxRows.swift": naive, "08-CausalWeights.swift": try solution(8)])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try attn("check", "8", in: root)
        #expect(run.status == 1)
        #expect(run.stdout.contains("Your softmaxRows(_:) from exercise 5 is wrong: fix it first."), "\(run.stdout)")
    }

    @Test("a changed signature is named, with what it must be")
    func signature() throws {
        let changed = "public func softmaxRows(_ s: [Double]) -> [[Double]] {\n    [s]\n}\n"
        let root = try scratchWorkbook(swift: ["05-SoftmaxRows.swift": changed])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try attn("check", "5", in: root)
        #expect(run.status == 1)
        #expect(run.stdout.contains("Sources/Workbook/05-SoftmaxRows.swift: the signature of softmaxRows changed; it must be `public func softmaxRows(_ scores: [[Double]]) -> [[Double]]` (yours is `public func softmaxRows(_ s: [Double]) -> [[Double]]`)."), "\(run.stdout)")
    }

    @Test("--reset asks first (no answer: nothing changes); progress is remembered; finishing says so once")
    func resetAndProgress() throws {
        var files: [String: String] = [:]
        for exercise in Self.exercises { files[exercise.file] = try solution(exercise.number) }
        let root = try scratchWorkbook(swift: files)
        let build = root.appendingPathComponent("build").path
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try attn("check", environment: ["ATTN_WORKBOOK_BUILD": build], in: root)
        #expect(first.status == 0, "\(first.stdout)")
        #expect(first.stdout.contains("\(exerciseCount) of \(exerciseCount) done"))
        #expect(first.stdout.contains("You have finished the workbook: all \(exerciseCount) exercises pass."), "\(first.stdout)")
        let again = try attn("check", environment: ["ATTN_WORKBOOK_BUILD": build], in: root)
        #expect(!again.stdout.contains("You have finished the workbook"), "said once only")
        let refused = try attn("check", "--reset", "5", environment: ["ATTN_WORKBOOK_BUILD": build], in: root)
        #expect(refused.stdout == "Nothing changed.\n" && refused.stderr.hasPrefix("Reset exercise 5 (softmaxRows(_:))?"), "\(refused.stdout)\(refused.stderr)")
        let reset = try attn("check", "--reset", "5", "--yes", environment: ["ATTN_WORKBOOK_BUILD": build], in: root)
        #expect(reset.status == 0)
        let stub = try String(contentsOf: repositoryRoot.appendingPathComponent("workbook/stubs/swift/05-SoftmaxRows.swift"), encoding: .utf8)
        #expect(try String(contentsOf: root.appendingPathComponent("Sources/Workbook/05-SoftmaxRows.swift"), encoding: .utf8) == stub)
        let after = try attn("check", environment: ["ATTN_WORKBOOK_BUILD": build], in: root)
        // 5 is a stub, and the reference solutions of 7, 8, 11 and 15 call it: they wait for it.
        #expect(after.stdout.contains("\(exerciseCount - 5) of \(exerciseCount) done"), "\(after.stdout)")
        #expect(Self.line(15, in: after.stdout).hasSuffix("waits for softmaxRows(_:), not started (passed before)"), "\(after.stdout)")
        #expect(Self.line(7, in: after.stdout).hasSuffix("waits for softmaxRows(_:), not started (passed before)"), "\(after.stdout)")
    }

    @Test("exercises 15 and 16 in the Swift edition: a wrong online softmax is diagnosed, a changed tuple is named, --reset 15 restores the stub")
    func variants() throws {
        // The reference's update with the rescale left out: ℓ and o keep sums measured against the old maximum.
        let noRescale = try solution(16).replacingOccurrences(of: "let rescale = exp(m - mNew)", with: "let rescale = m == -.infinity ? 0.0 : 1.0")
        #expect(noRescale != (try solution(16)))
        let unlabeled = "public func decodeStep(query: [Double], key: [Double], value: [Double], keys: [[Double]], values: [[Double]]) -> ([[Double]], [Double]) {\n    (keys, value)\n}\n"
        let root = try scratchWorkbook(swift: ["15-DecodeStep.swift": unlabeled, "16-OnlineSoftmaxStep.swift": noRescale])
        defer { try? FileManager.default.removeItem(at: root) }
        let online = try attn("check", "16", in: root)
        #expect(online.status == 1, "\(online.stdout)\(online.stderr)")
        #expect(online.stdout.contains("likely mistake — you did not rescale"), "\(online.stdout)")
        let decode = try attn("check", "15", in: root)
        #expect(decode.status == 1)
        #expect(decode.stdout.contains("Sources/Workbook/15-DecodeStep.swift: the signature of decodeStep changed; it must be `public func decodeStep(query: [Double], "
            + "key: [Double], value: [Double], keys: [[Double]], values: [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double])`"), "\(decode.stdout)")
        let reset = try attn("check", "--reset", "15", "--yes", in: root)
        #expect(reset.stdout == "Exercise 15 is a stub again: Sources/Workbook/15-DecodeStep.swift (from workbook/stubs/swift/15-DecodeStep.swift).\n", "\(reset.stdout)")
        let stub = try String(contentsOf: repositoryRoot.appendingPathComponent("workbook/stubs/swift/15-DecodeStep.swift"), encoding: .utf8)
        #expect(try String(contentsOf: root.appendingPathComponent("Sources/Workbook/15-DecodeStep.swift"), encoding: .utf8) == stub)
        let after = try attn("check", in: root)
        #expect(Self.line(15, in: after.stdout).hasPrefix("  · 15  a decode step with a KV cache"), "\(after.stdout)")
        #expect(Self.line(16, in: after.stdout).hasPrefix("  ✗ 16") && Self.line(16, in: after.stdout).hasSuffix("wrong"), "\(after.stdout)")
    }

    @Test("--watch checks the exercise being edited on every save; Ctrl-C stops it cleanly")
    func watch() throws {
        let root = try scratchWorkbook()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("watch.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = builtProgram("attn")
        process.arguments = ["check", "--watch"]
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(sharedBuild) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        func wait(for text: String) -> String {
            let end = Date().addingTimeInterval(120)
            while Date() < end {
                let now = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if now.contains(text) { return now }
                Thread.sleep(forTimeInterval: 0.2)
            }
            return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
        let started = wait(for: "0 of \(exerciseCount) done.")
        #expect(started.contains("Watching Sources/Workbook (Swift edition)"), "\(started)")
        #expect(started.contains("· exercise 1 · scores(query:keys:)"), "\(started)")
        try solution(1).write(to: root.appendingPathComponent("Sources/Workbook/01-Scores.swift"), atomically: true, encoding: .utf8)
        let checked = wait(for: "1 of \(exerciseCount) done.")
        #expect(checked.contains("── Sources/Workbook/01-Scores.swift changed: exercise 1 ──"), "\(checked)")
        #expect(checked.contains("✓ exercise 1 · scores(query:keys:)"), "\(checked)")
        #expect(checked.contains("Next: exercise 2 · scoreMatrix(queries:keys:), in Sources/Workbook/02-ScoreMatrix.swift."), "\(checked)")
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(((try? String(contentsOf: output, encoding: .utf8)) ?? "").hasSuffix("Stopped watching.\n"))
    }

    @Test("on a terminal, standard error says which exercise is being checked and for how long; elsewhere nothing")
    func progressOnTerminal() throws {
        // A pseudo-terminal for standard error; standard output stays a file.
        // (posix_openpt, unlockpt and ptsname are not in Swift's Glibc module: found by name.)
        typealias Open = @convention(c) (Int32) -> Int32
        typealias Unlock = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        let libc = dlopen(nil, RTLD_NOW)
        let unlock = unsafeBitCast(try #require(dlsym(libc, "unlockpt")), to: Unlock.self)
        let name = unsafeBitCast(try #require(dlsym(libc, "ptsname")), to: Name.self)
        let openpt = unsafeBitCast(try #require(dlsym(libc, "posix_openpt")), to: Open.self)
        let master = openpt(O_RDWR | O_NOCTTY)
        try #require(master >= 0 && unlock(master) == 0)
        defer { close(master) }
        let slave = open(String(cString: try #require(name(master))), O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let process = Process()
        process.executableURL = builtProgram("attn")
        let root = try scratchWorkbook(swift: ["05-SoftmaxRows.swift": Self.loop])
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try attn("check", "5", "--timeout", "1", in: root)   // compiled once, outside the measured run
        process.arguments = ["check", "5", "--timeout", "3"]
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(sharedBuild) { $1 }
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        close(slave)
        var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let terminal = String(decoding: bytes, as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(terminal.contains("checking 5 · softmaxRows(_:)… (2 s)"), "\(terminal.debugDescription)")
        // The line is wiped at the end, so that the report starts on a clean line.
        #expect(terminal.hasSuffix("\r\u{1B}[K"), "\(terminal.debugDescription)")

        let piped = try attn("check", "5", "--timeout", "2", in: root)
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
    }

    @Test("--hint prints the hint; a missing exercise is a clear error")
    func hint() throws {
        let run = try attn("check", "--hint", "5")
        #expect(run.status == 0)
        #expect(run.stdout == "exercise 5 · softmaxRows(_:) — a numerically stable softmax of each row (lesson 05-where-to-look)\nhint: \(Self.exercises[4].hint)\n")
        let missing = try attn("check", "--hint", "99")
        #expect(missing.status == 1 && missing.stdout.isEmpty)
        #expect(missing.stderr == "attn check: there is no exercise 99: the exercises are \(WorkbookProgress.numbers(exerciseNumbers))\n", "\(missing.stderr)")
        let both = try attn("check", "3", "--hint", "5")
        #expect(both.status != 0 && both.stderr.contains("Give only one of"))
    }

    @Test("--solution shows the reference solution only once the exercise passes")
    func solutionShown() throws {
        let root = try scratchWorkbook(swift: ["05-SoftmaxRows.swift": Self.loop])
        defer { try? FileManager.default.removeItem(at: root) }
        let refused = try attn("check", "--solution", "5", "--timeout", "1", in: root)
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("attn check: exercise 5 (softmaxRows(_:)) does not pass yet, so its solution stays hidden"))
        #expect(!refused.stderr.contains("exp("))
        try solution(5).write(to: root.appendingPathComponent("Sources/Workbook/05-SoftmaxRows.swift"), atomically: true, encoding: .utf8)
        let shown = try attn("check", "--solution", "5", in: root)
        #expect(shown.status == 0)
        #expect(shown.stdout == "exercise 5 passes. The reference solution (Sources/WorkbookSolutions/05-SoftmaxRows.swift):\n\n" + (try solution(5)))
    }

    @Test("outside the repository, attn check says where to run it")
    func noWorkbook() throws {
        let folder = try temporaryFolder([:])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try attn("check", in: URL(fileURLWithPath: folder))
        #expect(run.status == 1)
        #expect(run.stderr == "attn check: no workbook here: run it in your copy of the attn repository (the folder with workbook/ and Sources/Workbook/), or in a folder inside it\n")
    }

    @Test("--timeout out of range says what range, with whole numbers written as whole numbers")
    func timeoutRange() throws {
        for (given, shown) in [("0", "0"), ("-2", "-2"), ("4000.5", "4000.5"), ("3601", "3601")] {
            let run = try attn("check", "--timeout=\(given)")
            #expect(run.status != 0 && run.stdout.isEmpty)
            #expect(run.stderr.split(separator: "\n").first.map(String.init) == "Error: --timeout must be more than 0 and at most 3600 seconds, not \(shown).", "\(run.stderr)")
        }
    }

    @Test("the catalogue matches the files: stubs kept for --reset, a solution per exercise in both editions, lessons that exist")
    func catalog() throws {
        // In lesson order, numbered from 1 with no number used twice; numbers are names, never closed up.
        #expect(exerciseNumbers.first == 1 && exerciseNumbers == exerciseNumbers.sorted(), "\(exerciseNumbers)")
        #expect(Set(exerciseNumbers).count == exerciseCount)
        let exercisesPy = try String(contentsOf: repositoryRoot.appendingPathComponent("workbook/python/exercises.py"), encoding: .utf8)
        #expect(try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions/python/exercises.py"), encoding: .utf8) == exercisesPy)
        for exercise in Self.exercises {
            #expect(FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("lessons/\(exercise.lesson).md").path))
            #expect(body(of: exercise.swiftName, in: try solution(exercise.number)) != nil, "\(exercise.file)")
            #expect(try solution(exercise.number, python: true).contains("def \(exercise.pythonName)("), "\(exercise.pythonFile)")
            #expect(exercisesPy.contains("\"\(exercise.pythonName)\": \"\(exercise.pythonFile)\""), "\(exercise.pythonFile)")
            let stub = try String(contentsOf: repositoryRoot.appendingPathComponent("workbook/stubs/swift/\(exercise.file)"), encoding: .utf8)
            #expect(body(of: exercise.swiftName, in: stub) == "notStarted()", "\(exercise.file)")
            #expect(stub.hasPrefix("import Foundation\n\n/// Exercise \(exercise.number) · \(exercise.title)"), "\(exercise.file)")
            #expect(stub.contains("/// Lesson: lessons/\(exercise.lesson).md"), "\(exercise.file)")
            if isStillStub(exercise) {
                #expect(try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/Workbook/\(exercise.file)"), encoding: .utf8) == stub)
            }
            let python = try String(contentsOf: repositoryRoot.appendingPathComponent("workbook/stubs/python/\(exercise.pythonFile)"), encoding: .utf8)
            #expect(python.hasPrefix("\"\"\"Exercise \(exercise.number) · \(exercise.title)\nLesson: lessons/\(exercise.lesson).md"), "\(exercise.pythonFile)")
            #expect(python.contains("Example:") && python.contains("Shapes:"), "\(exercise.pythonFile)")
            #expect(python.contains("def \(exercise.python):\n    raise NotImplementedError(\"exercise \(exercise.number): \(exercise.pythonName)\")\n"), "\(exercise.pythonFile)")
        }
    }
}
