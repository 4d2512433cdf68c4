import Foundation
import Testing
import WorkbookChecks
@testable import WorkbookRunner

/// The parts of `attn check` that decide what to tell, without running anything.
@Suite("attn check's reports")
struct ProgressTests {
    static let exercises = WorkbookExercise.all.map {
        WorkbookRunner.Exercise(number: $0.number, function: $0.function, title: $0.title, lesson: $0.lesson, file: $0.file, hint: $0.hint)
    }
    static let progress = Progress(
        catalog: WorkbookRunner.Catalog(workbook: "/nowhere/Sources/Workbook", solutions: "/nowhere/Sources/WorkbookSolutions", exercises: exercises),
        runner: WorkbookRunner(url: URL(fileURLWithPath: "/nowhere/attn-workbook")))

    /// A student's exercise 8 that calls their softmaxRows.
    static let causal = """
        import Foundation

        /// Call your `softmaxRows` from exercise 5. scaled(…) is not needed here.
        public func causalWeights(_ scores: [[Double]]) -> [[Double]] {
            // not project(X, W)
            /* nor scoreMatrix(queries:keys:) */
            let masked = scores.enumerated().map { i, row in row.enumerated().map { j, s in j > i ? -Double.infinity : s } }
            return softmaxRows (masked)
        }
        """

    @Test("the earlier exercises a file calls: code only, not comments, not its own declaration")
    func callees() {
        let eight = Self.exercises[7]
        #expect(Progress.callees(of: eight, in: Self.causal, among: Self.exercises).map(\.number) == [5])
        let five = Self.exercises[4]
        #expect(Progress.callees(of: five, in: "public func softmaxRows(_ s: [[Double]]) -> [[Double]] { s.map(stable) }", among: Self.exercises).isEmpty)
        // A later exercise's function is never "earlier".
        #expect(Progress.callees(of: Self.exercises[1], in: "let x = attention(a, W_Q: b, W_K: c, W_V: d)\nlet y = scores(query: q, keys: k)", among: Self.exercises).map(\.number) == [1])
    }

    @Test("an exercise that fails while an earlier one it calls is wrong says to fix that one first")
    func blamesWrongCallee() throws {
        let eight = Self.exercises[7]
        let failed = WorkbookRunner.Result.failed("failed on case 1 of 4: …")
        let blamed = Progress.blamingEarlier(eight, failed, source: Self.causal, among: Self.exercises) { callee in
            callee.number == 5 ? .failed("softmax is off") : .passed(cases: 3)
        }
        #expect(Progress.summary(blamed) == "calls softmaxRows(_:), which is wrong")
        let detail = Self.progress.detail(eight, blamed)
        #expect(detail.contains("Your softmaxRows(_:) from exercise 5 is wrong: fix it first."), "\(detail)")
        #expect(detail.contains("failed on case 1 of 4: …"), "the exercise's own report follows:\n\(detail)")
        #expect(blamed.isWrong)

        // The callee passes (or is not started, which `waits for` reports): the failure is the exercise's own.
        for callee in [WorkbookRunner.Result.passed(cases: 7), .notStarted] {
            let own = Progress.blamingEarlier(eight, failed, source: Self.causal, among: Self.exercises) { _ in callee }
            #expect(Progress.summary(own) == "wrong")
        }
        // A crash counts too: exercise 8 crashed, and the softmaxRows it calls crashes by itself.
        let crashed = Progress.blamingEarlier(eight, .crashed("Index out of range"), source: Self.causal, among: Self.exercises) { _ in .crashed("Index out of range") }
        #expect(Progress.summary(crashed) == "calls softmaxRows(_:), which is wrong")
    }

    @Test("the overview blames the earlier exercise and makes it the next one")
    func overviewBlames() {
        var results = Self.exercises.map { _ in WorkbookRunner.Result.notStarted }
        for n in [1, 2, 3, 4, 6, 7] { results[n - 1] = .passed(cases: 4) }
        results[4] = .failed("failed on case 5 of 7: scores around 800 (lesson 05)")
        results[7] = .failed("failed on case 4 of 4: …")
        let blamed = Self.progress.blamingEarlier(results) { $0.number == 8 ? Self.causal : nil }
        let text = Self.progress.overview(blamed)
        // (The column of function names is as wide as the longest name.)
        #expect(text.split(separator: "\n").contains { $0.contains("causalWeights(_:)  ") && $0.hasSuffix("  calls softmaxRows(_:), which is wrong") }, "\(text)")
        #expect(text.contains("Next: exercise 5 · softmaxRows(_:)"), "\(text)")
        #expect(text.contains("6 of 13 done · 2 wrong · 5 not started"), "\(text)")
    }
}

/// A stub whose signature changed breaks the build in Sources/attn-workbook/main.swift, a file
/// the student never edits: attn check --build says which stub and what it must be.
@Suite("a changed signature")
struct SignatureTests {
    static let expected = WorkbookBuild.signatures(solutions: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions").path)
    static let message05 = "Sources/Workbook/05-SoftmaxRows.swift: the signature of softmaxRows changed; it must be `public func softmaxRows(_ scores: [[Double]]) -> [[Double]]` (yours is `public func softmaxRows(_ s: [Double]) -> [[Double]]`). attn check calls it with exactly these labels and types: put them back, and keep any helper under another name."

    /// What `swift build --product attn-workbook` printed (Swift 6.3) after exercise 5's
    /// `_ scores: [[Double]]` became `_ s: [Double]`.
    static let captured = #"""
[0/1] Planning build
Building for debugging...
[0/2] Write swift-version-6A52383ED409C6A7.txt
[1/3] Write sources
[3/5] Emitting module Workbook
[4/5] Compiling Workbook 05-SoftmaxRows.swift
[5/9] Wrapping AST for Workbook for debugging
error: emit-module command failed with exit code 1 (use -v to see invocation)
[7/11] Emitting module attn_workbook
/home/student/attn/Sources/attn-workbook/main.swift:21:27: error: cannot convert value of type '@Sendable ([Double]) -> [[Double]]' to expected argument type '([[Double]]) -> [[Double]]'
 19 |     project: Workbook.project(_:_:),
 20 |     scaled: Workbook.scaled(_:dK:),
 21 |     softmaxRows: Workbook.softmaxRows(_:),
    |                           |- error: cannot convert value of type '@Sendable ([Double]) -> [[Double]]' to expected argument type '([[Double]]) -> [[Double]]'
    |                           `- note: arguments to generic parameter 'Element' ('[Double]' and 'Double') are expected to be equal
 22 |     contextVector: Workbook.contextVector(weights:values:),
 23 |     attention: Workbook.attention(_:W_Q:W_K:W_V:),
[8/11] Compiling attn_workbook main.swift
/home/student/attn/Sources/attn-workbook/main.swift:21:27: error: cannot convert value of type '@Sendable ([Double]) -> [[Double]]' to expected argument type '([[Double]]) -> [[Double]]'
 19 |     project: Workbook.project(_:_:),
 20 |     scaled: Workbook.scaled(_:dK:),
 21 |     softmaxRows: Workbook.softmaxRows(_:),
    |                           |- error: cannot convert value of type '@Sendable ([Double]) -> [[Double]]' to expected argument type '([[Double]]) -> [[Double]]'
    |                           `- note: arguments to generic parameter 'Element' ('[Double]' and 'Double') are expected to be equal
 22 |     contextVector: Workbook.contextVector(weights:values:),
 23 |     attention: Workbook.attention(_:W_Q:W_K:W_V:),
"""#

    @Test("the signatures come from the reference solutions, and every stub still has its exercise's")
    func signatures() throws {
        #expect(Self.expected.count == WorkbookExercise.all.count)
        #expect(Self.expected.first { $0.name == "softmaxRows" }?.declaration == "public func softmaxRows(_ scores: [[Double]]) -> [[Double]]")
        // The runner's glue repeats each one next to the call, so that a raw compile error shows it.
        let glue = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/attn-workbook/main.swift"), encoding: .utf8)
        for (exercise, signature) in zip(WorkbookExercise.all, Self.expected) {
            #expect(glue.contains("Workbook.\(exercise.function)") && glue.contains("// Sources/Workbook/\(exercise.file) must keep `\(signature.declaration)`"), "\(exercise.file)")
            #expect(signature.file == exercise.file)
            #expect(exercise.function.hasPrefix(signature.name + "("))
            guard isStillStub(exercise) else { continue }
            let stub = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/Workbook/\(exercise.file)"), encoding: .utf8)
            #expect(WorkbookBuild.declaration(of: signature.name, in: stub) == signature.declaration, "\(exercise.file)")
        }
    }

    @Test("real compiler output: the stub, its required signature and the student's are named once")
    func capturedOutput() {
        let student = "import Foundation\n\npublic func softmaxRows(_ s: [Double]) -> [[Double]] {\n    [s]\n}\n"
        let messages = WorkbookBuild.explain(Self.captured, expected: Self.expected) { $0 == "05-SoftmaxRows.swift" ? student : nil }
        #expect(messages == [Self.message05])
        // A renamed function: the file no longer declares it.
        let renamed = WorkbookBuild.explain(Self.captured, expected: Self.expected) { _ in "public func softmax(_ s: [[Double]]) -> [[Double]] { s }" }
        #expect(renamed.first?.contains("(the file no longer declares `public func softmaxRows(`)") == true, "\(renamed)")
        // Errors in the student's own files are the compiler's to explain.
        let own = "/home/student/attn/Sources/Workbook/07-Attention.swift:18:5: error: cannot find 'softmax' in scope\n"
        #expect(WorkbookBuild.explain(own, expected: Self.expected) { _ in nil }.isEmpty)
    }

    @Test("a real compile of the runner against stubs with changed signatures is explained stub by stub")
    func realCompile() throws {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Sources/Workbook").path) where name.hasSuffix(".swift") {
            var text = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/Workbook/\(name)"), encoding: .utf8)
            if let exercise = WorkbookExercise.all.first(where: { $0.file == name }), !isStillStub(exercise) {
                text = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions/\(name)"), encoding: .utf8)
            }
            if name == "04-Scaled.swift" { text = text.replacingOccurrences(of: "dK: Int)", with: "d: Int)") }
            if name == "05-SoftmaxRows.swift" { text = text.replacingOccurrences(of: "(_ scores: [[Double]])", with: "(_ scores: [Double])") }
            files[name] = text
        }
        let folder = try temporaryFolder(files)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sources = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }.map { folder + "/" + $0 }
        let module = try execute("/usr/bin/env", ["swiftc", "-emit-module", "-parse-as-library", "-module-name", "Workbook", "-emit-module-path", folder + "/Workbook.swiftmodule"] + sources)
        try #require(module.status == 0, "\(module.stderr)")
        // main.swift against that module and the built WorkbookChecks (whose engine needs OpenBLAS's header).
        let blas = try execute("/usr/bin/env", ["pkg-config", "--cflags-only-I", "openblas"]).stdout
            .split(whereSeparator: \.isWhitespace).flatMap { ["-Xcc", String($0)] }
        let built = builtProgram("attn").deletingLastPathComponent().appendingPathComponent("Modules").path
        let run = try execute("/usr/bin/env", ["swiftc", "-typecheck", "-I", folder, "-I", built,
                                               "-Xcc", "-fmodule-map-file=" + repositoryRoot.appendingPathComponent("Sources/COpenBLAS/module.modulemap").path]
                                               + blas + [repositoryRoot.appendingPathComponent("Sources/attn-workbook/main.swift").path])
        #expect(run.status != 0)
        let messages = WorkbookBuild.explain(run.stdout + run.stderr, expected: Self.expected) { files[$0] }
        #expect(Set(messages.map { String($0.prefix { $0 != ";" }) }) == [
            "Sources/Workbook/04-Scaled.swift: the signature of scaled changed",
            "Sources/Workbook/05-SoftmaxRows.swift: the signature of softmaxRows changed",
        ], "\(messages)\n\(run.stderr)")
        #expect(messages.contains { $0.contains("it must be `public func scaled(_ scores: [[Double]], dK: Int) -> [[Double]]` (yours is `public func scaled(_ scores: [[Double]], d: Int) -> [[Double]]`)") }, "\(messages)")
    }

    @Test("attn check --build shows the compiler's errors, then which signature changed")
    func checkBuild() throws {
        let folder = try temporaryFolder(["output.txt": Self.captured])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let swift = folder + "/swift"
        try "#!/bin/sh\ncat '\(folder)/output.txt'\nexit 1\n".write(toFile: swift, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift)
        let run = try execute("attn", ["check", "--build", "--swift", swift])
        #expect(run.status == 1 && run.stdout.isEmpty, "\(run.stdout)")
        #expect(run.stderr.hasPrefix("error: emit-module command failed"), "\(run.stderr)")
        #expect(!run.stderr.contains("[8/11]"), "the build's progress lines are left out")
        #expect(run.stderr.contains("main.swift:21:27: error: cannot convert value"))
        // The shipped stub is what --build reads as "yours"; its declaration is the required one.
        #expect(run.stderr.hasSuffix("\nSources/Workbook/05-SoftmaxRows.swift: the signature of softmaxRows changed; it must be `public func softmaxRows(_ scores: [[Double]]) -> [[Double]]`. attn check calls it with exactly these labels and types: put them back, and keep any helper under another name.\n")
                || !isStillStub(WorkbookExercise.all[4]), "\(run.stderr)")
    }
}
