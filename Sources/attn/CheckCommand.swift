import ArgumentParser
import Diagnostics
import Foundation
import Lessons
import Site
import Terminal
import WorkbookRunner

struct CheckCommand: ParsableCommand, LessonsCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check your workbook exercises, your answers to a lesson's exercises, or a filled-in worksheet.",
        discussion: """
            The workbook has one function per exercise, in lesson order, in two editions: Swift \
            (Sources/Workbook) and NumPy (workbook/python, with --python). attn check runs each \
            exercise on its own — a Swift file is compiled by itself, a Python file is run by \
            itself — and the same checks compare its results with the attention engine on the \
            lessons' examples, random sentences and large scores. It prints your progress:

              ✓  done: every case matches the engine
              ✗  wrong, crashed, out of time, or does not compile: what is off, and the likely mistake
              ·  not started: the function is still the stub

            Then it names the next exercise to do, with its hint. A file that does not compile \
            fails only its own exercise, with the compiler's first error. Progress is \
            remembered in .build/workbook/.

            --answers grades a small YAML file of numeric answers to the exercises at the end \
            of a lesson (see lessons/guides/practise.md):
              lesson: 02-attention-without-weights
              answers:
                1: 1.0865
                2: 0.17

            --worksheet grades the answers file that attn worksheet writes beside a printed \
            worksheet, once you have filled in its blank cells: each cell is compared with the \
            lesson's trace at the sheet's decimals, and the first wrong cell of each matrix is \
            shown at its line and column, expected against got, with the likely mistake \
            (no ÷√d_k, a softmax over the column, another token's row of α, …). Empty cells \
            are not answered yet.

            Exit status: 1 when an attempted exercise (or an answer, or a filled-in cell) is \
            wrong, else 0; exercises you have not started and cells left empty never make it fail.

            Examples:
              attn check                 every exercise of the Swift edition
              attn check --python        every exercise of the NumPy edition
              attn check 5               exercise 5 only, in full
              attn check --watch         check the exercise you are editing each time you save it
              attn check --hint 5
              attn check --solution 5    the reference solution, once exercise 5 passes
              attn check --reset 5       put exercise 5's stub back (asks first)
              attn check --answers answers-02.yaml
              attn check --worksheet worksheets/where-to-look-worksheet.answers.yaml
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

    @Option(help: ArgumentHelp("Grade a filled-in worksheet answers file (written by attn worksheet) instead of the workbook.", valueName: "file"))
    var worksheet: String?

    @OptionGroup var lessons: LessonsOption<Self>
    static let lessonsHelp = "The folder of lessons, for --answers and --worksheet."

    @Flag(help: "Check the NumPy edition (workbook/python) instead of the Swift one (Sources/Workbook).")
    var python = false

    @Flag(help: "Check the exercise you are editing each time you save it; Ctrl-C stops.")
    var watch = false

    @Option(help: ArgumentHelp("Put exercise N's stub back, losing your code in it (asks first).", valueName: "N"))
    var reset: Int?

    @Flag(help: "With --reset: do not ask.")
    var yes = false

    @Option(help: ArgumentHelp("Seconds an exercise's checks may run before they count as hanging.", valueName: "seconds"))
    var timeout: Double = 10

    /// Stop --watch after this many checks (tests bound the run).
    @Option(help: .hidden)
    var watchLimit: Int?

    func validate() throws {
        let chosen = [exercise != nil, hint != nil, solution != nil, answers != nil, worksheet != nil, watch, reset != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("Give only one of: an exercise number, --hint, --solution, --answers, --worksheet, --watch, --reset.") }
        if yes && reset == nil { throw ValidationError("--yes goes with --reset N.") }
        if !(timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, not \(WorkbookProgress.number(timeout)).")
        }
    }

    func run() throws {
        try reportingDiagnostics {
            if let file = answers ?? worksheet {
                let (text, path) = try readInput(file)
                let graded: any GradedAnswers = answers != nil
                    ? try AnswerSheet.grade(text, path: path, lessons: lessons.lessons)
                    : try WorksheetCheck.grade(text, path: path, lessons: lessons.lessons)
                print(graded.report, terminator: "")
                if graded.wrong > 0 { throw ExitCode(1) }
                return
            }
            let workbook = try Workbook.locate(edition: python ? .python : .swift)
            if let reset {
                let report = try WorkbookCheck(workbook: workbook, timeout: timeout).reset(reset, yes: yes) { question in
                    FileHandle.standardError.write(Data(question.utf8))
                    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                    return answer == "y" || answer == "yes"
                }
                print(report, terminator: "")
                return
            }
            if watch { Watch(workbook: workbook, timeout: timeout).run(limit: watchLimit) }
            let request: WorkbookCheck.Request = hint.map { .hint($0) } ?? solution.map { .solution($0) } ?? exercise.map { .exercise($0) } ?? .overview
            let outcome = try WorkbookCheck(workbook: workbook, timeout: timeout).run(request)
            print(outcome.report, terminator: "")
            if outcome.wrong { throw ExitCode(1) }
        }
    }
}
