import ArgumentParser
import Diagnostics
import Foundation

struct CheckCommand: ParsableCommand {
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

    @Option(help: ArgumentHelp("The folder of lessons, for --answers.", valueName: "dir"))
    var lessons: String = "lessons"

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
                let graded = try AnswerSheet.grade(text, path: path, lessons: lessons)
                print(graded.report, terminator: "")
                if graded.wrong > 0 { throw ExitCode(1) }
                return
            }
            if build { try buildRunner() }
            let runner = try WorkbookRunner.locate(self.runner)
            let catalog = try runner.catalog()
            let progress = Progress(catalog: catalog, runner: runner)
            if let n = hint {
                let exercise = try progress.exercise(n)
                print("exercise \(n) · \(exercise.function) — \(exercise.title) (lesson \(exercise.lesson))")
                print("hint: \(exercise.hint)")
            } else if let n = solution {
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
                print("exercise \(n) passes. The reference solution (\(progress.display(path))):\n")
                print(source, terminator: source.hasSuffix("\n") ? "" : "\n")
            } else if let n = exercise {
                let exercise = try progress.exercise(n)
                var result = runner.check(exercise, timeout: timeout, workbook: catalog.workbook)
                result = Progress.blamingEarlier(exercise, result, source: progress.source(exercise), among: catalog.exercises) { callee in
                    runner.check(callee, timeout: timeout, workbook: catalog.workbook)
                }
                print(progress.stalenessNote(), terminator: "")
                print(progress.detail(exercise, result), terminator: "")
                if result.isWrong { throw ExitCode(1) }
            } else {
                let checked = catalog.exercises.map { runner.check($0, timeout: timeout, workbook: catalog.workbook) }
                let results = progress.blamingEarlier(checked, source: progress.source)
                print(progress.stalenessNote(), terminator: "")
                print(progress.overview(results), terminator: "")
                if results.contains(where: \.isWrong) { throw ExitCode(1) }
            }
        }
    }
}

extension CheckCommand {
    /// `swift build --product attn-workbook`; when it fails, the compiler's errors and, for a
    /// signature that changed, which one and what it must be.
    func buildRunner() throws {
        let root = WorkbookBuild.packageRoot
        let (program, arguments) = swift.map { (URL(fileURLWithPath: $0), [String]()) }
            ?? (URL(fileURLWithPath: "/usr/bin/env"), ["swift"])
        let line = StatusLine()
        line.show("building attn-workbook")
        let run = ChildProcess.run(program, arguments + ["build", "--product", "attn-workbook", "--package-path", root.path], timeout: 3600)
        line.clear()
        guard run.ending != .exited(0) else { return }
        let output = run.stdout + run.stderr
        // The compiler's messages, without the build's progress lines.
        let compiler = output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("[") && !$0.hasPrefix("Building") && !$0.hasPrefix("Planning") }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
        let workbook = root.appendingPathComponent("Sources/Workbook")
        let messages = WorkbookBuild.explain(output, expected: WorkbookBuild.signatures(solutions: root.appendingPathComponent("Sources/WorkbookSolutions").path)) {
            try? String(contentsOf: workbook.appendingPathComponent($0), encoding: .utf8)
        }
        var text = compiler.isEmpty ? "attn check: swift build --product attn-workbook failed (\(run.ending))\n" : compiler + "\n"
        if !messages.isEmpty { text += "\n" + messages.joined(separator: "\n") + "\n" }
        FileHandle.standardError.write(Data(text.utf8))
        throw ExitCode(1)
    }
}

/// The rustlings-style views of the workbook.
struct Progress {
    let catalog: WorkbookRunner.Catalog
    let runner: WorkbookRunner

    func exercise(_ n: Int) throws(Diagnostic) -> WorkbookRunner.Exercise {
        guard let found = catalog.exercises.first(where: { $0.number == n }) else {
            throw Diagnostic("attn check: there is no exercise \(n): the exercises are 1 to \(catalog.exercises.count)", at: nil)
        }
        return found
    }

    /// A path relative to the current folder when it is inside it.
    func display(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    func file(_ exercise: WorkbookRunner.Exercise) -> String {
        display((catalog.workbook as NSString).appendingPathComponent(exercise.file))
    }

    /// A warning when a workbook file changed after the runner was built: the results are
    /// then about the old code.
    func stalenessNote() -> String {
        let manager = FileManager.default
        guard let built = (try? manager.attributesOfItem(atPath: runner.url.path))?[.modificationDate] as? Date else { return "" }
        let changed = ((try? manager.contentsOfDirectory(atPath: catalog.workbook)) ?? []).sorted().filter { name in
            let path = (catalog.workbook as NSString).appendingPathComponent(name)
            return ((try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date).map { $0 > built } ?? false
        }
        guard let first = changed.first else { return "" }
        return "note: \(display((catalog.workbook as NSString).appendingPathComponent(first)))\(changed.count > 1 ? " and \(changed.count - 1) more" : "") changed after attn-workbook was built, so these results are for the old code: run `make check` (it rebuilds first).\n\n"
    }

    /// The student's file of `exercise`, if it can be read.
    func source(_ exercise: WorkbookRunner.Exercise) -> String? {
        try? String(contentsOfFile: (catalog.workbook as NSString).appendingPathComponent(exercise.file), encoding: .utf8)
    }

    /// `results` (one per exercise, in order), each exercise that does not pass while an
    /// earlier one it calls is wrong marked so: that one is to be fixed first.
    func blamingEarlier(_ results: [WorkbookRunner.Result], source: (WorkbookRunner.Exercise) -> String?) -> [WorkbookRunner.Result] {
        let exercises = catalog.exercises
        return zip(exercises, results).map { exercise, result in
            Self.blamingEarlier(exercise, result, source: source(exercise), among: exercises) { callee in
                exercises.firstIndex { $0.number == callee.number }.map { results[$0] } ?? .notStarted
            }
        }
    }

    /// `result`, or — when the exercise is attempted but not passing and its `source` calls
    /// earlier exercises whose own result (`resultOf`) is wrong — that, naming them.
    /// (A call to an exercise not started is reported by the runner already: "waits for".)
    static func blamingEarlier(_ exercise: WorkbookRunner.Exercise, _ result: WorkbookRunner.Result, source: String?,
                               among exercises: [WorkbookRunner.Exercise],
                               resultOf: (WorkbookRunner.Exercise) -> WorkbookRunner.Result) -> WorkbookRunner.Result {
        switch result {
        case .failed, .crashed, .timedOut: break
        default: return result
        }
        guard let source else { return result }
        let wrong = callees(of: exercise, in: source, among: exercises).filter { resultOf($0).isWrong }
        return wrong.isEmpty ? result : .callsWrong(wrong, result)
    }

    /// The earlier exercises whose functions `source` calls, comments aside.
    static func callees(of exercise: WorkbookRunner.Exercise, in source: String,
                        among exercises: [WorkbookRunner.Exercise]) -> [WorkbookRunner.Exercise] {
        let code = withoutComments(source)
        return exercises.filter { other in
            guard other.number < exercise.number else { return false }
            let name = NSRegularExpression.escapedPattern(for: String(other.function.prefix { $0 != "(" }))
            // A call `name(`, not a declaration `func name(` nor a member `x.name(`.
            guard let call = try? NSRegularExpression(pattern: "(?<![\\w.])(?<!func )\\b\(name)\\s*\\(") else { return false }
            return call.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil
        }
    }

    /// Swift source without its `//` and `/* */` comments (string literals are not special).
    static func withoutComments(_ source: String) -> String {
        var out = "", rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix("//") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                rest = rest.range(of: "*/").map { rest[$0.upperBound...] } ?? ""
                out += " "
            } else {
                out.append(rest.removeFirst())
            }
        }
        return out
    }

    /// `softmaxRows(_:) from exercise 5`, `… and …`.
    static func naming(_ exercises: [WorkbookRunner.Exercise], withNumbers: Bool) -> String {
        let names = exercises.map { withNumbers ? "\($0.function) from exercise \($0.number)" : $0.function }
        return names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    static func mark(_ result: WorkbookRunner.Result) -> String {
        result.isDone ? "✓" : result.isNotStarted ? "·" : "✗"
    }

    /// A few words on a result, for the overview's last column.
    static func summary(_ result: WorkbookRunner.Result) -> String {
        switch result {
        case .passed(let cases): return "\(cases) cases pass"
        case .failed: return "wrong"
        case .notStarted: return ""
        case .waiting(let function): return "waits for \(function), not started"
        case .crashed(let reason): return "crashed: \(reason.prefix { $0 != "—" }.trimmingCharacters(in: .whitespaces))"
        case .timedOut(let seconds): return "timed out after \(Self.seconds(seconds))"
        case .callsWrong(let earlier, _): return "calls \(naming(earlier, withNumbers: false)), which \(earlier.count == 1 ? "is" : "are") wrong"
        }
    }

    static func seconds(_ s: Double) -> String { "\(number(s)) s" }

    /// 2 rather than 2.0; 2.5 as it is.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// Every exercise on one line, the counts, and the next exercise to do with its hint.
    func overview(_ results: [WorkbookRunner.Result]) -> String {
        let exercises = catalog.exercises
        let titleWidth = exercises.map(\.title.count).max() ?? 0
        let functionWidth = exercises.map(\.function.count).max() ?? 0
        var out = "Workbook: \(display(catalog.workbook)) — \(exercises.count) exercises, each checked against the attention engine\n\n"
        for (exercise, result) in zip(exercises, results) {
            let number = String(repeating: " ", count: 2 - min(2, String(exercise.number).count)) + String(exercise.number)
            let line = "  \(Self.mark(result)) \(number)  \(pad(exercise.title, titleWidth))  \(pad(exercise.function, functionWidth))  \(Self.summary(result))"
            out += line.trimmingTrailingSpaces() + "\n"
        }
        let done = results.filter(\.isDone).count, wrong = results.filter(\.isWrong).count
        let fresh = results.filter(\.isNotStarted).count
        let bar = String(repeating: "█", count: done) + String(repeating: "░", count: exercises.count - done)
        out += "\n\(bar)  \(done) of \(exercises.count) done · \(wrong) wrong · \(fresh) not started\n\n"
        // Next: the first attempted exercise that is wrong (the one being worked on), else
        // the first not started.
        let pairs = Array(zip(exercises, results))
        guard let next = pairs.first(where: { $0.1.isWrong }) ?? pairs.first(where: { !$0.1.isDone }) else {
            out += "Every exercise passes. Compare your code with the reference solutions: attn check --solution N.\n"
            return out
        }
        out += detail(next.0, next.1, heading: "Next:")
        out += "\nAfter each change run `make check` (it rebuilds, then checks). `attn check N` shows exercise N in full,\n"
        out += "`attn check --hint N` its hint, and `attn check --solution N` its reference solution once it passes.\n"
        return out
    }

    /// One exercise in full: where it is, what happened, and the hint unless it passed.
    func detail(_ exercise: WorkbookRunner.Exercise, _ result: WorkbookRunner.Result, heading: String? = nil) -> String {
        var out = "\(heading ?? Self.mark(result)) exercise \(exercise.number) · \(exercise.function) — \(exercise.title)\n"
        out += "  file:   \(file(exercise))\n"
        out += "  lesson: lessons/\(exercise.lesson).md\n\n"
        return out + explanation(exercise, result)
    }

    /// What happened to `exercise`, and the hint unless it passed.
    func explanation(_ exercise: WorkbookRunner.Exercise, _ result: WorkbookRunner.Result) -> String {
        var out = ""
        switch result {
        case .callsWrong(let earlier, let own):
            let one = earlier.count == 1
            out += "Your \(Self.naming(earlier, withNumbers: true)) \(one ? "is" : "are") wrong: fix \(one ? "it" : "them") first. "
            out += "\(exercise.function) calls \(one ? "it" : "them"), so it cannot pass until \(one ? "that exercise passes" : "they pass").\n"
            out += "What \(exercise.function) gives now:\n\n"
            return out + explanation(exercise, own)
        case .passed(let cases):
            out += "It passes all \(cases) cases. See the reference solution with: attn check --solution \(exercise.number)\n"
            return out
        case .notStarted:
            out += "Not started: open \(file(exercise)), read the doc comment, and replace notStarted() with your code.\n"
        case .waiting(let function):
            let other = catalog.exercises.first { $0.function == function }
            out += "Your code calls \(function)\(other.map { " (exercise \($0.number))" } ?? ""), which is not started yet: do that one first.\n"
        case .failed(let message):
            out += message + "\n"
        case .crashed(let reason):
            out += "It crashed: \(reason).\nEach exercise is checked in a process of its own, so a crash stops only its own checks. For the whole stack trace, run: \(display(runner.url.path)) check \(exercise.number)\n"
        case .timedOut(let seconds):
            out += "It was stopped after \(Self.seconds(seconds)): a loop that never ends? (A correct solution takes well under a second.)\n"
        }
        out += "\nhint: \(exercise.hint)\n"
        return out
    }

    func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
