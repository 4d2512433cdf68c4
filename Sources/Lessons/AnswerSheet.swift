import Diagnostics
import Foundation
import Markdown

/// A student's answers to the exercises at the end of one lesson, and their grading.
///
/// Format (YAML; lessons/guides/practise.md):
///
///     lesson: 02-attention-without-weights     # the lesson's file name, without .md
///     answers:
///       1: 1.0865                               # exercise number: your answer
///       2: 0.17
///       3:                                     # empty: not answered yet
///       4a: 2.5                                 # part a of a multi-part exercise
///
/// Each answer is graded against the value the lesson's own trace computes for that
/// exercise (never a number typed by hand): right when it lies in what the page's answer
/// box accepts (`Answer.accepted`: honest hand work at the decimals asked for, or the
/// exercise's own tolerance). Questions about ideas are not graded here.
public struct AnswerSheet {
    let path: String
    let lesson: (name: String, location: SourceLocation)
    /// In file order; a nil value is an exercise left blank. `location` is the number's.
    let answers: [(key: String, value: Double?, location: SourceLocation)]

    static let keys = ["lesson", "answers"]
    static let example = "lesson: 02-attention-without-weights\nanswers:\n  1: 1.0865\n  2: 0.17"

    // MARK: Reading

    static func parse(_ text: String, path: String) throws(Diagnostic) -> AnswerSheet {
        let file = try AnswersFile(text, path: path, keys: "lesson and answers", example: example)
        try file.requireKnownKeys(keys)
        let lesson = try file.lessonName(example: "lesson: 02-attention-without-weights")
        guard let answersValue = file.value("answers") else {
            throw Diagnostic("the answers file needs answers: exercise numbers and your answers, e.g.\nanswers:\n  1: 1.0865", at: file.top)
        }
        if answersValue.isBlank {
            return AnswerSheet(path: path, lesson: lesson, answers: [])   // `answers:` with nothing yet
        }
        guard case .mapping(let entries, _) = answersValue else {
            throw Diagnostic("answers maps exercise numbers to your answers, one per line under answers:, e.g.\nanswers:\n  1: 1.0865\n  2: 0.17", at: answersValue.location)
        }
        var answers: [(String, Double?, SourceLocation)] = []
        for entry in entries {
            let label = entry.key.lowercased()
            let digits = label.prefix { $0.isNumber }
            let part = label.dropFirst(digits.count)
            guard let number = Int(digits), number >= 1, part.count <= 1, part.allSatisfy({ ("a"..."z").contains($0) }) else {
                throw Diagnostic("'\(label)' is not an exercise number: number the answers 1, 2, 3, … as the lesson numbers its exercises "
                                     + "(4a, 4b, … for the parts of exercise 4)", at: entry.keyLocation)
            }
            let name = "\(number)\(part)"
            let x = try AnswersFile.number(entry.value, what: "the answer to exercise \(name)")
            answers.append((name, x, entry.keyLocation))
        }
        return AnswerSheet(path: path, lesson: lesson, answers: answers)
    }

    // MARK: Grading

    public struct Graded: GradedAnswers {
        public let report: String
        public let right: Int
        public let wrong: Int
    }

    public static func grade(_ text: String, path: String, lessons directory: String) throws(Diagnostic) -> Graded {
        let sheet = try parse(text, path: path)
        let lesson = try sheet.loadLesson(from: directory)
        let exercises = lesson.exercises
        guard !exercises.isEmpty else {
            throw Diagnostic("lesson \(lesson.slugName) has no exercises to answer", at: sheet.lesson.location)
        }
        let keys = exercises.flatMap { exercise in exercise.answers.map { $0.key(exercise: exercise.number) } }
        for answer in sheet.answers where !keys.contains(answer.key) {
            let number = Int(answer.key.prefix { $0.isNumber }) ?? 0
            if let exercise = exercises.first(where: { $0.number == number }) {
                let what = exercise.isConceptual
                    ? "is a question about an idea: compare your answer with the model answer on the page"
                    : "has " + (exercise.answers.count == 1 ? "one answer: write \(number): …" : "parts \(exercise.answers.compactMap(\.label).joined(separator: ", ")): write \(number)a: …")
                throw Diagnostic("exercise \(number) of lesson \(lesson.slugName) \(what)", at: answer.location)
            }
            throw Diagnostic("lesson \(lesson.slugName) has no exercise \(number): its exercises are 1 to \(exercises.count)", at: answer.location)
        }
        var lines: [String] = []
        var right = 0, wrong = 0, blank = 0, total = 0
        for exercise in exercises {
            let question = plainText(exercise.question, lesson)
            if exercise.isConceptual {
                lines += ["  ○ \(exercise.number)  \(question)", "       a question about an idea: compare your answer with the model answer on the page"]
                continue
            }
            for answer in exercise.answers {
                total += 1
                let key = answer.key(exercise: exercise.number)
                let asked = answer.prompt.map { question + " (" + answer.label! + ") " + plainText($0, lesson) } ?? question
                let range = answer.shownRange.map { range in
                    "from \(String(format: "%.\(range.decimals)f", range.low)) to \(String(format: "%.\(range.decimals)f", range.high))"
                } ?? "only as exactly \(number(answer.value))"
                guard let given = sheet.answers.first(where: { $0.key == key })?.value else {
                    blank += 1
                    lines += ["  · \(key)  \(asked)", "       no answer yet"]
                    continue
                }
                if answer.accepted.contains(given) {
                    right += 1
                    lines += ["  ✓ \(key)  \(asked)",
                              "       \(number(given)) is right (the trace gives \(number(answer.value, digits: 6)); accepted \(range))"]
                } else {
                    wrong += 1
                    lines += ["  ✗ \(key)  \(asked)",
                              "       \(number(given)) is not in the accepted range, \(range) (\(answer.decimals) decimals asked).",
                              "       hint: \(plainText(exercise.hint, lesson))"]
                }
            }
        }
        let header = "\(lesson.path) — “\(lesson.frontMatter.title)”: \(AnswersFile.counts(right: right, of: total, wrong: wrong, blank: blank))"
        return Graded(report: ([header, ""] + lines).joined(separator: "\n") + "\n", right: right, wrong: wrong)
    }

    /// The lesson named by `lesson:`.
    func loadLesson(from directory: String) throws(Diagnostic) -> Lesson {
        try AnswersFile.lesson(named: lesson.name, at: lesson.location, in: directory)
    }

    // MARK: Text for a terminal

    /// Markdown with math and references as plain text: `$\omega$` → ω, `{{ d_k }}` → 64.
    static func plainText(_ markdown: String, _ lesson: Lesson) -> String {
        let out = lesson.plainText(markdown, math: plainTeX) { resolved, source in resolved.map { value($0.value) } ?? source }
        // *it* → “it” (emphasis marks a word of the sentence in the lessons); **x** → x.
        var quoted = ""
        var opening = true
        for c in out.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "") {
            if c == "*" { quoted += opening ? "“" : "”"; opening.toggle() } else { quoted.append(c) }
        }
        return quoted.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    static let texSymbols: [(String, String)] = [
        ("^\\top", "ᵀ"), ("\\top", "ᵀ"), ("\\omega", "ω"), ("\\alpha", "α"), ("\\sqrt", "√"), ("\\cdot", "·"),
        ("\\sum", "Σ"), ("\\times", "×"), ("\\infty", "∞"), ("\\exp", "exp"), ("\\max", "max"), ("\\text", ""),
        ("\\operatorname", ""), ("\\left", ""), ("\\right", ""), ("\\,", " "), ("\\ldots", "…"), ("\\cdots", "⋯"),
    ]

    static func plainTeX(_ tex: String) -> String {
        var s = tex
        for (command, symbol) in texSymbols { s = s.replacingOccurrences(of: command, with: symbol) }
        return s.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
    }

    static func value(_ value: ReferenceValue) -> String {
        switch value {
        case .number(let x): return number(x, digits: 4)
        case .integer(let n): return String(n)
        case .vector(let v): return "[" + v.map { number($0, digits: 4) }.joined(separator: ", ") + "]"
        }
    }

    static func number(_ x: Double, digits: Int = 10) -> String { AnswersFile.number(x, digits: digits) }
}
