import Diagnostics
import Foundation

/// What `attn check` does with the workbook: runs the checks of one exercise or of all,
/// shows a hint or a reference solution, restores a stub, and words the report.
public struct WorkbookCheck: Sendable {
    public enum Request: Sendable {
        /// Every exercise, the counts and the next exercise to do.
        case overview
        /// One exercise in full.
        case exercise(Int)
        case hint(Int)
        /// The reference solution, once the exercise passes.
        case solution(Int)
    }

    /// The report for standard output, and whether an attempted exercise is wrong.
    public struct Outcome: Sendable {
        public let report: String
        public let wrong: Bool
    }

    public let workbook: Workbook
    /// Seconds an exercise's checks may run.
    public var timeout: Double

    public init(workbook: Workbook, timeout: Double) {
        self.workbook = workbook
        self.timeout = timeout
    }

    public func run(_ request: Request) throws(Diagnostic) -> Outcome {
        let runner = ExerciseRunner(workbook: workbook, timeout: timeout)
        let catalog = runner.catalog
        let progress = WorkbookProgress(catalog: catalog)
        switch request {
        case .hint(let n):
            let exercise = try progress.exercise(n)
            return Outcome(report: "exercise \(n) · \(exercise.function) — \(exercise.title) (lesson \(exercise.lesson))\nhint: \(exercise.hint)\n", wrong: false)
        case .solution(let n):
            let exercise = try progress.exercise(n)
            guard case .passed = runner.check(exercise) else {
                throw Diagnostic("""
                    attn check: exercise \(n) (\(exercise.function)) does not pass yet, so its solution stays hidden — \
                    working it out is what makes it stick. `attn check\(editionFlag) \(n)` shows what is off, \
                    and `attn check\(editionFlag) --hint \(n)` gives a hint.
                    """, at: nil)
            }
            let path = (catalog.solutions as NSString).appendingPathComponent(exercise.file)
            guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Diagnostic("attn check: cannot read the solution \(path)", at: nil)
            }
            let report = "exercise \(n) passes. The reference solution (\(progress.display(path))):\n\n" + source + (source.hasSuffix("\n") ? "" : "\n")
            return Outcome(report: report, wrong: false)
        case .exercise(let n):
            let exercise = try progress.exercise(n)
            let result = checkBlaming(exercise, runner: runner, progress: progress)
            var memory = Memory.load(workbook)
            memory.record(n, result)
            memory.save(workbook)
            return Outcome(report: progress.detail(exercise, result), wrong: result.isWrong)
        case .overview:
            let checked = catalog.exercises.map { runner.check($0) }
            let results = progress.blamingEarlier(checked, source: progress.source)
            var memory = Memory.load(workbook)
            let before = memory
            for (exercise, result) in zip(catalog.exercises, results) { memory.record(exercise.number, result) }
            var report = progress.overview(results, before: before)
            if results.allSatisfy(\.isDone) && !before.finished {
                memory.finished = true
                report += "\nYou have finished the workbook: all \(results.count) exercises pass. Well done!\n"
            }
            memory.save(workbook)
            return Outcome(report: report, wrong: results.contains(where: \.isWrong))
        }
    }

    /// ` --python` for the NumPy edition, for commands the report suggests.
    var editionFlag: String { workbook.edition == .python ? " --python" : "" }

    /// One exercise, and — when it fails while an earlier one it calls is wrong — that one named.
    func checkBlaming(_ exercise: WorkbookRunner.Exercise, runner: ExerciseRunner, progress: WorkbookProgress) -> WorkbookRunner.Result {
        let result = runner.check(exercise)
        return WorkbookProgress.blamingEarlier(exercise, result, source: progress.source(exercise), among: progress.catalog.exercises,
                                       python: workbook.edition == .python) { callee in runner.check(callee) }
    }

    // MARK: --reset

    /// Puts exercise `n`'s stub back (workbook/stubs/EDITION/FILE). `confirm` is asked first
    /// unless `yes`; it gets the question and answers whether to go on.
    public func reset(_ n: Int, yes: Bool, confirm: (String) -> Bool) throws(Diagnostic) -> String {
        let progress = WorkbookProgress(catalog: workbook.catalog)
        let exercise = try progress.exercise(n)
        let stub = workbook.stubs.appendingPathComponent(exercise.file)
        let file = workbook.exercises.appendingPathComponent(exercise.file)
        guard let pristine = try? Data(contentsOf: stub) else {
            throw Diagnostic("attn check: cannot read the stub \(progress.display(stub.path))", at: nil)
        }
        if (try? Data(contentsOf: file)) == pristine {
            return "\(progress.display(file.path)) is already the stub of exercise \(n): nothing to do.\n"
        }
        if !yes && !confirm("Reset exercise \(n) (\(exercise.function))? This replaces \(progress.display(file.path)) with its stub, and your code in it is lost. [y/N] ") {
            return "Nothing changed.\n"
        }
        do { try pristine.write(to: file, options: .atomic) } catch {
            throw Diagnostic("attn check: cannot write \(progress.display(file.path)): \(error.localizedDescription)", at: nil)
        }
        var memory = Memory.load(workbook)
        memory.record(n, .notStarted)
        memory.save(workbook)
        return "Exercise \(n) is a stub again: \(progress.display(file.path)) (from \(progress.display(stub.path))).\n"
    }
}
