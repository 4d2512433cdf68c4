import Foundation
import Testing
import WorkbookChecks
@testable import WorkbookRunner

/// The parts of `attn check` that decide what to tell, without running anything.
@Suite("attn check's reports")
struct ProgressTests {
    static let exercises = WorkbookExercise.all.map { WorkbookRunner.Exercise($0, .swift) }
    static let progress = Progress(
        catalog: WorkbookRunner.Catalog(workbook: "/nowhere/Sources/Workbook", solutions: "/nowhere/Sources/WorkbookSolutions", edition: .swift, exercises: exercises))

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
        let count = Self.exercises.count
        #expect(text.contains("6 of \(count) done · 2 wrong · \(count - 8) not started"), "\(text)")
    }

    @Test("Python: the earlier exercises a file calls, not in comments or doc strings")
    func pythonCallees() {
        let exercises = WorkbookExercise.all.map { WorkbookRunner.Exercise($0, .python) }
        let source = "\"\"\"Call your project(X, W) from exercise 3.\"\"\"\nfrom exercises import softmax_rows\n\ndef causal_weights(scores):\n    # not scaled(x)\n    return softmax_rows(scores)\n"
        #expect(Progress.callees(of: exercises[7], in: source, among: exercises, python: true).map(\.number) == [5])
    }

    @Test("a file that does not compile is wrong, is named in the overview, and blames nothing it does not call")
    func doesNotCompile() {
        var results = Self.exercises.map { _ in WorkbookRunner.Result.notStarted }
        results[0] = .passed(cases: 4)
        results[2] = .doesNotCompile("Sources/Workbook/03-Project.swift:15:18: error: expected expression\n  15 |     let x = X.map {\n     |                  ^")
        let text = Self.progress.overview(results)
        // (The column of function names is as wide as the longest name.)
        let width = Self.exercises.map(\.function.count).max() ?? 0
        #expect(text.contains("project(_:_:)" + String(repeating: " ", count: width - 13 + 2) + "does not compile: 03-Project.swift:15"), "\(text)")
        #expect(text.contains("1 of \(Self.exercises.count) done · 1 wrong · \(Self.exercises.count - 2) not started"), "\(text)")
        #expect(text.contains("Sources/Workbook/03-Project.swift:15:18: error: expected expression"), "\(text)")
        // Exercise 7 calls project: it is blamed on exercise 3 when it fails too.
        let seven = Progress.blamingEarlier(Self.exercises[6], .doesNotCompile("…: cannot find 'project' in scope"),
                                            source: "public func attention() { project(X, W_Q) }", among: Self.exercises) { $0.number == 3 ? results[2] : .passed(cases: 3) }
        #expect(Progress.summary(seven) == "calls project(_:_:), which is wrong")
    }
}
