import Diagnostics
import Foundation

/// The rustlings-style views of the workbook.
public struct WorkbookProgress: Sendable {
    public let catalog: WorkbookRunner.Catalog

    public init(catalog: WorkbookRunner.Catalog) {
        self.catalog = catalog
    }

    var python: Bool { catalog.edition == .python }
    /// ` --python` for the NumPy edition, in commands the report suggests.
    var flag: String { python ? " --python" : "" }

    func exercise(_ n: Int) throws(Diagnostic) -> WorkbookRunner.Exercise {
        guard let found = catalog.exercises.first(where: { $0.number == n }) else {
            throw Diagnostic("attn check: there is no exercise \(n): the exercises are \(Self.numbers(catalog.exercises.map(\.number)))", at: nil)
        }
        return found
    }

    /// `1 to 11, 15 and 16`: the exercise numbers, which may have gaps, runs of three or more
    /// shortened.
    static func numbers(_ numbers: [Int]) -> String {
        var parts: [String] = [], rest = numbers.sorted()[...]
        while let first = rest.first {
            var last = first
            while rest.dropFirst(last - first + 1).first == last + 1 { last += 1 }
            parts += last - first >= 2 ? ["\(first) to \(last)"] : (first...last).map(String.init)
            rest = rest.dropFirst(last - first + 1)
        }
        return parts.count <= 1 ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    /// A path relative to the current folder when it is inside it.
    func display(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    func file(_ exercise: WorkbookRunner.Exercise) -> String {
        display((catalog.workbook as NSString).appendingPathComponent(exercise.file))
    }

    /// The student's file of `exercise`, if it can be read.
    func source(_ exercise: WorkbookRunner.Exercise) -> String? {
        try? String(contentsOfFile: (catalog.workbook as NSString).appendingPathComponent(exercise.file), encoding: .utf8)
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
        case .doesNotCompile(let message):
            let place = message.prefix { $0 != "\n" }.split(separator: ":").prefix(2).joined(separator: ":")
            return "does not compile: \((place as NSString).lastPathComponent)"
        case .callsWrong(let earlier, _): return "calls \(naming(earlier, withNumbers: false)), which \(earlier.count == 1 ? "is" : "are") wrong"
        }
    }

    static func seconds(_ s: Double) -> String { "\(number(s)) s" }

    /// 2 rather than 2.0; 2.5 as it is.
    public static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// Every exercise on one line, the counts, and the next exercise to do with its hint.
    func overview(_ results: [WorkbookRunner.Result], before: Memory = Memory()) -> String {
        let exercises = catalog.exercises
        let titleWidth = exercises.map(\.title.count).max() ?? 0
        let functionWidth = exercises.map(\.function.count).max() ?? 0
        let edition = python ? "NumPy edition" : "Swift edition"
        var out = "Workbook: \(display(catalog.workbook)) (\(edition)) — \(exercises.count) exercises, each checked against the attention engine\n\n"
        for (exercise, result) in zip(exercises, results) {
            let number = String(repeating: " ", count: 2 - min(2, String(exercise.number).count)) + String(exercise.number)
            var summary = Self.summary(result)
            if !result.isDone && before.passed.contains(exercise.number) { summary += summary.isEmpty ? "(passed before)" : " (passed before)" }
            let line = "  \(Self.mark(result)) \(number)  \(pad(exercise.title, titleWidth))  \(pad(exercise.function, functionWidth))  \(summary)"
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
            out += "Every exercise passes. Compare your code with the reference solutions: attn check\(flag) --solution N.\n"
            return out
        }
        out += detail(next.0, next.1, heading: "Next:")
        out += "\nAfter each change run `attn check\(flag)` again (or leave `attn check\(flag) --watch` running). `attn check\(flag) N`\n"
        out += "shows exercise N in full, `--hint N` its hint, and `--solution N` its reference solution once it passes.\n"
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
            out += "It passes all \(cases) cases. See the reference solution with: attn check\(flag) --solution \(exercise.number)\n"
            return out
        case .notStarted:
            out += python ? "Not started: open \(file(exercise)), read the doc string, and replace `raise NotImplementedError(…)` with your code.\n"
                : "Not started: open \(file(exercise)), read the doc comment, and replace notStarted() with your code.\n"
        case .waiting(let function):
            let other = catalog.exercises.first { $0.function == function }
            out += "Your code calls \(function)\(other.map { " (exercise \($0.number))" } ?? ""), which is not started yet: do that one first.\n"
        case .failed(let message):
            out += message + "\n"
        case .crashed(let reason):
            out += python ? "It raised \(reason).\n" : "It crashed: \(reason).\n"
            out += "Each exercise runs in a process of its own, so this stops only its own checks.\n"
        case .doesNotCompile(let message):
            out += "It does not compile\(python ? " (Python cannot read it)" : ""). The \(python ? "first" : "compiler's first") error:\n\n"
                + message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n\n"
            out += "Each exercise is \(python ? "loaded" : "compiled") on its own, so the others are still checked.\n"
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
