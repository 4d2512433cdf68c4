import Diagnostics
import Foundation

/// What `attn check` does with the workbook: runs the checks of one exercise or of all,
/// or shows a hint or a reference solution, and words the report.
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

    /// `--runner PATH`, else attn-workbook next to this executable.
    public var runner: String?
    /// Seconds an exercise's checks may run.
    public var timeout: Double

    public init(runner: String?, timeout: Double) {
        self.runner = runner
        self.timeout = timeout
    }

    public func run(_ request: Request) throws(Diagnostic) -> Outcome {
        let runner = try WorkbookRunner.locate(self.runner)
        let catalog = try runner.catalog()
        let progress = Progress(catalog: catalog, runner: runner)
        let timeout = self.timeout
        switch request {
        case .hint(let n):
            let exercise = try progress.exercise(n)
            return Outcome(report: "exercise \(n) · \(exercise.function) — \(exercise.title) (lesson \(exercise.lesson))\nhint: \(exercise.hint)\n", wrong: false)
        case .solution(let n):
            let exercise = try progress.exercise(n)
            guard case .passed = runner.check(exercise, timeout: timeout, workbook: catalog.workbook) else {
                throw Diagnostic("""
                    attn check: exercise \(n) (\(exercise.function)) does not pass yet, so its solution stays hidden — \
                    working it out is what makes it stick. `attn check \(n)` shows what is off, \
                    and `attn check --hint \(n)` gives a hint.
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
            var result = runner.check(exercise, timeout: timeout, workbook: catalog.workbook)
            result = Progress.blamingEarlier(exercise, result, source: progress.source(exercise), among: catalog.exercises) { callee in
                runner.check(callee, timeout: timeout, workbook: catalog.workbook)
            }
            return Outcome(report: progress.stalenessNote() + progress.detail(exercise, result), wrong: result.isWrong)
        case .overview:
            let checked = catalog.exercises.map { runner.check($0, timeout: timeout, workbook: catalog.workbook) }
            let results = progress.blamingEarlier(checked, source: progress.source)
            return Outcome(report: progress.stalenessNote() + progress.overview(results), wrong: results.contains(where: \.isWrong))
        }
    }
}
