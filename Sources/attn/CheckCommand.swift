import ArgumentParser
import Diagnostics
import Foundation
import Lessons
import Terminal
import WorkbookRunner

struct CheckCommand: ParsableCommand, LessonsCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check your workbook exercises, or your answers to a lesson's exercises.",
        discussion: """
            The workbook (Sources/Workbook) has one function per exercise, in lesson order. \
            attn check runs each exercise's checks in a process of its own, compares your \
            results with the attention engine on the lessons' examples, random sentences and \
            large scores, and prints your progress:

              ✓  done: every case matches the engine
              ✗  wrong, crashed or out of time: what is off, and the likely mistake
              ·  not started: the function still calls notStarted()

            Then it names the next exercise to do, with its hint. Edit the file, then run \
            `make check` again: it rebuilds the workbook and checks it.

            --answers grades a small YAML file of numeric answers to the exercises at the end \
            of a lesson (see lessons/guides/practise.md):
              lesson: 02-attention-without-weights
              answers:
                1: 1.0865
                2: 0.17

            Exit status: 1 when an attempted exercise (or an answer) is wrong, else 0; \
            exercises you have not started never make it fail.

            Examples:
              make check                 rebuild the workbook, then attn check
              attn check 5               exercise 5 only, in full
              attn check --hint 5
              attn check --solution 5    the reference solution, once exercise 5 passes
              attn check --answers answers-02.yaml
            """
    )

    @Argument(help: ArgumentHelp("Check only this exercise and show its report in full.", valueName: "exercise"))
    var exercise: Int?

    @Option(help: ArgumentHelp("Print the hint of exercise N.", valueName: "N"))
    var hint: Int?

    @Option(help: ArgumentHelp("Print the reference solution of exercise N (once it passes).", valueName: "N"))
    var solution: Int?

    @Option(help: ArgumentHelp("Grade an answers file (lesson: and answers:) instead of the workbook.", valueName: "file"))
    var answers: String?

    @OptionGroup var lessons: LessonsOption<Self>
    static let lessonsHelp = "The folder of lessons, for --answers."

    @Option(help: ArgumentHelp("Seconds an exercise's checks may run before they count as hanging.", valueName: "seconds"))
    var timeout: Double = 10

    @Flag(help: ArgumentHelp("Build the workbook runner first (swift build --product attn-workbook); if a workbook function's signature changed, say which and what it must be."))
    var build = false

    @Option(help: .hidden)
    var runner: String?

    /// The `swift` that --build runs (tests give a stand-in).
    @Option(help: .hidden)
    var swift: String?

    func validate() throws {
        let chosen = [exercise != nil, hint != nil, solution != nil, answers != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("Give only one of: an exercise number, --hint, --solution, --answers.") }
        if !(timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, not \(Progress.number(timeout)).")
        }
    }

    func run() throws {
        try reportingDiagnostics {
            if let answers {
                let (text, path) = try readInput(answers)
                let graded = try AnswerSheet.grade(text, path: path, lessons: lessons.lessons)
                print(graded.report, terminator: "")
                if graded.wrong > 0 { throw ExitCode(1) }
                return
            }
            if build { try buildRunner() }
            let request: WorkbookCheck.Request = hint.map { .hint($0) } ?? solution.map { .solution($0) } ?? exercise.map { .exercise($0) } ?? .overview
            let outcome = try WorkbookCheck(runner: runner, timeout: timeout).run(request)
            print(outcome.report, terminator: "")
            if outcome.wrong { throw ExitCode(1) }
        }
    }

    /// `swift build --product attn-workbook`; when it fails, the compiler's errors and, for a
    /// signature that changed, which one and what it must be.
    func buildRunner() throws {
        do {
            try WorkbookBuild.build(swift: swift)
        } catch {
            FileHandle.standardError.write(Data(error.report.utf8))
            throw ExitCode(1)
        }
    }
}
