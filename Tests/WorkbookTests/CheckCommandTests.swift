import Foundation
import Testing
import WorkbookChecks

/// `attn check` and the runner, run as a student runs them.
@Suite("attn check")
struct CheckCommandTests {
    static let exercises = WorkbookExercise.all

    @Test("how a stub is told from a student's code")
    func stubDetection() {
        #expect(body(of: "f", in: "/// f\npublic func f(x: [Double]) -> [Double] {\n    notStarted()\n}\n") == "notStarted()")
        #expect(body(of: "f", in: "public func f(x: [Double]) -> [Double] {\n    // notStarted()\n    x\n}\n") == "// notStarted()\n    x")
        #expect(body(of: "g", in: "public func f() {\n}\n") == nil)
    }

    @Test("every exercise that is still a stub is reported as not started")
    func stubsNotStarted() throws {
        let stubs = Self.exercises.filter(isStillStub)
        for exercise in stubs {
            let stub = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/Workbook/\(exercise.file)"), encoding: .utf8)
            // Each stub says what it is and where it is taught.
            // Foundation first (exp, sqrt), then the doc comment.
            #expect(stub.hasPrefix("import Foundation\n\n/// Exercise \(exercise.number) · \(exercise.title)"), "\(exercise.file)")
            #expect(stub.contains("/// Lesson: lessons/\(exercise.lesson).md"), "\(exercise.file)")
            let run = try execute("attn-workbook", ["check", String(exercise.number)])
            #expect(run.status == 3, "exercise \(exercise.number): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.hasSuffix("@@attn-workbook@@ not-started \(exercise.function)\n"), "\(run.stdout)")
        }
    }

    @Test("the workbook as shipped: nothing done, nothing wrong, exit 0, exercise 1 next",
          .enabled(if: workbookIsAsShipped, "some exercises of Sources/Workbook are no longer stubs"))
    func shippedWorkbook() throws {
        let run = try attn("check")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("0 of 13 done · 0 wrong · 13 not started"))
        #expect(run.stdout.contains("  ·  1  dot-product scores for one query"))
        #expect(run.stdout.contains("Next: exercise 1 · scores(query:keys:)"))
        #expect(run.stdout.contains("hint: \(Self.exercises[0].hint)"))
        // An attempted exercise that is wrong comes before the first one not started.
        let attempted = try attn("check", environment: ["ATTN_WORKBOOK_SELFTEST": "crash:3"])
        #expect(attempted.status == 1)
        #expect(attempted.stdout.contains("0 of 13 done · 1 wrong · 12 not started"))
        #expect(attempted.stdout.contains("Next: exercise 3 · project(_:_:)"))
    }

    @Test("a crash, a division by zero and an endless loop each fail their exercise, and the run goes on")
    func isolation() throws {
        let start = Date()
        let run = try attn("check", "--timeout", "2", environment: ["ATTN_WORKBOOK_SELFTEST": "solved:1,3;crash:2;divide:4;loop:5;waiting:6"])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(Date().timeIntervalSince(start) < 30)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        func line(_ n: Int) -> String { lines.first { $0.hasPrefix("  ") && $0.dropFirst(4).hasPrefix(String(format: "%2d  ", n)) } ?? "" }
        #expect(line(1).hasPrefix("  ✓  1  dot-product scores for one query") && line(1).hasSuffix("4 cases pass"), "\(line(1))")
        #expect(line(2).hasPrefix("  ✗  2") && line(2).hasSuffix("crashed: Index out of range"), "\(line(2))")
        #expect(line(3).hasPrefix("  ✓  3"))
        #expect(line(4).hasPrefix("  ✗  4") && line(4).hasSuffix("crashed: Division by zero"), "\(line(4))")
        #expect(line(5).hasPrefix("  ✗  5") && line(5).hasSuffix("timed out after 2 s"), "\(line(5))")
        #expect(line(6).hasPrefix("  ✗  6") && line(6).hasSuffix("waits for softmaxRows(_:), not started"), "\(line(6))")
        // Every exercise after the crashes and the hang was still checked.
        for n in 7...11 { #expect(line(n).hasPrefix("  ") && !line(n).isEmpty, "exercise \(n) missing:\n\(run.stdout)") }
        #expect(run.stdout.contains("Next: exercise 2 · scoreMatrix(queries:keys:)"))
        #expect(run.stdout.contains("It crashed: Index out of range — an index past the end of an array"))
        #expect(!run.stdout.contains("Fatal error") && !run.stderr.contains("Fatal error"))
    }

    @Test("one exercise in full: passed, crashed, hung, waiting")
    func single() throws {
        let passed = try attn("check", "5", environment: ["ATTN_WORKBOOK_SELFTEST": "solved:5"])
        #expect(passed.status == 0)
        #expect(passed.stdout == """
            ✓ exercise 5 · softmaxRows(_:) — a numerically stable softmax of each row
              file:   Sources/Workbook/05-SoftmaxRows.swift
              lesson: lessons/05-where-to-look.md

            It passes all 7 cases. See the reference solution with: attn check --solution 5

            """)
        let hung = try attn("check", "8", "--timeout", "1", environment: ["ATTN_WORKBOOK_SELFTEST": "loop:8"])
        #expect(hung.status == 1)
        #expect(hung.stdout.contains("It was stopped after 1 s: a loop that never ends?"))
        #expect(hung.stdout.contains("hint: \(Self.exercises[7].hint)"))
        let waiting = try attn("check", "7", environment: ["ATTN_WORKBOOK_SELFTEST": "waiting:7"])
        #expect(waiting.status == 1)
        #expect(waiting.stdout.contains("Your code calls softmaxRows(_:) (exercise 5), which is not started yet: do that one first."))
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
        process.arguments = ["check", "5", "--timeout", "3"]
        process.currentDirectoryURL = repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["ATTN_WORKBOOK_SELFTEST": "loop:5"]) { $1 }
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

        let piped = try attn("check", "5", "--timeout", "2", environment: ["ATTN_WORKBOOK_SELFTEST": "loop:5"])
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
    }

    @Test("--hint prints the hint; a missing exercise is a clear error")
    func hint() throws {
        let run = try attn("check", "--hint", "5")
        #expect(run.status == 0)
        #expect(run.stdout == "exercise 5 · softmaxRows(_:) — a numerically stable softmax of each row (lesson 05-where-to-look)\nhint: \(Self.exercises[4].hint)\n")
        let missing = try attn("check", "--hint", "12")
        #expect(missing.status == 1 && missing.stdout.isEmpty)
        #expect(missing.stderr.hasPrefix("attn check: there is no exercise 12: the exercises are 1 to "))
        let both = try attn("check", "3", "--hint", "5")
        #expect(both.status != 0 && both.stderr.contains("Give only one of"))
    }

    @Test("--solution shows the reference solution only once the exercise passes")
    func solution() throws {
        let refused = try attn("check", "--solution", "5", environment: ["ATTN_WORKBOOK_SELFTEST": "crash:5"])
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("attn check: exercise 5 (softmaxRows(_:)) does not pass yet, so its solution stays hidden"))
        #expect(!refused.stderr.contains("exp("))
        let shown = try attn("check", "--solution", "5", environment: ["ATTN_WORKBOOK_SELFTEST": "solved:5"])
        #expect(shown.status == 0)
        let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions/05-SoftmaxRows.swift"), encoding: .utf8)
        #expect(shown.stdout == "exercise 5 passes. The reference solution (Sources/WorkbookSolutions/05-SoftmaxRows.swift):\n\n" + source)
    }

    @Test("without the runner, attn check says how to build it")
    func runnerMissing() throws {
        let folder = try temporaryFolder([:])
        let copy = URL(fileURLWithPath: folder).appendingPathComponent("attn")
        try FileManager.default.copyItem(at: builtProgram("attn"), to: copy)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A process another test starts at the same moment can inherit the copy's open file
        // for a few microseconds, and Linux refuses to run a file open for writing: try again.
        var process = Process(), err = Pipe()
        for attempt in 1...20 {
            (process, err) = (Process(), Pipe())
            process.executableURL = copy
            process.arguments = ["check"]
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            do { try process.run(); break } catch where attempt < 20 { usleep(50_000) }
        }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message == """
            attn check: the workbook runner is not built (looked for \(folder)/attn-workbook).
            Build it, then check again:
              swift build --product attn-workbook
            or simply run `make check`, which builds it and runs attn check.

            """)
        let wrong = try attn("check", "--runner", "/nonexistent/attn-workbook")
        #expect(wrong.status == 1 && wrong.stderr == "attn check: --runner '/nonexistent/attn-workbook' is not an executable file\n")
    }

    @Test("--timeout out of range says what range, with whole numbers written as whole numbers")
    func timeoutRange() throws {
        for (given, shown) in [("0", "0"), ("-2", "-2"), ("4000.5", "4000.5"), ("3601", "3601")] {
            let run = try attn("check", "--timeout=\(given)")
            #expect(run.status != 0 && run.stdout.isEmpty)
            #expect(run.stderr.split(separator: "\n").first.map(String.init) == "Error: --timeout must be more than 0 and at most 3600 seconds, not \(shown).", "\(run.stderr)")
        }
    }

    @Test("the catalog matches the files: a solution per exercise, each exercise naming a lesson that exists")
    func catalog() throws {
        let run = try execute("attn-workbook", ["list"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"function\" : \"scores(query:keys:)\""))
        #expect(Self.exercises.map(\.number) == Array(1...11) + [15, 16])
        for exercise in Self.exercises {
            #expect(FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("lessons/\(exercise.lesson).md").path))
            let solution = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions/\(exercise.file)"), encoding: .utf8)
            #expect(body(of: String(exercise.function.prefix { $0 != "(" }), in: solution) != nil, "\(exercise.file)")
        }
    }
}
