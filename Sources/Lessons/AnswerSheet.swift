import Diagnostics
import Foundation
import Markdown
import SpecLoader
import Yams

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
    static let yamlWording = YAMLReading.Wording(subject: "this", advice: "give each answer once", adviseAlways: true)
    static let example = "lesson: 02-attention-without-weights\nanswers:\n  1: 1.0865\n  2: 0.17"

    // MARK: Reading

    static func parse(_ text: String, path: String) throws(Diagnostic) -> AnswerSheet {
        func place(_ node: Node) -> SourceLocation {
            SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        let top = SourceLocation(path: path, line: 1, column: 1)
        let root: Node?
        switch YAMLReading.compose(text) {
        case .success(let node): root = node
        case .failure(let failure):
            throw YAMLReading.diagnostic(for: failure, yamlWording, start: top) {
                SourceLocation(path: path, line: $0.line, column: $0.column)
            }
        }
        guard let root else { throw Diagnostic("the answers file is empty: write, for example,\n\(example)", at: top) }
        guard let mapping = root.mapping else {
            throw Diagnostic("an answers file is a YAML mapping with the keys lesson and answers, e.g.\n\(example)", at: place(root))
        }
        var lesson: (String, SourceLocation)?
        var answersNode: Node?
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            guard keys.contains(name) else {
                let hint = nearest(to: name, in: keys).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(name)': \(hint)the keys are lesson and answers", at: place(key))
            }
            if name == "lesson" {
                guard let text = value.scalar?.string, !text.isEmpty else {
                    throw Diagnostic("lesson is the lesson's file name without .md, e.g. lesson: 02-attention-without-weights", at: place(value))
                }
                lesson = (text, place(value))
            } else {
                answersNode = value
            }
        }
        guard let lesson else {
            throw Diagnostic("the answers file needs lesson: the lesson's file name without .md, e.g. lesson: 02-attention-without-weights", at: top)
        }
        guard let answersValue = answersNode else {
            throw Diagnostic("the answers file needs answers: exercise numbers and your answers, e.g.\nanswers:\n  1: 1.0865", at: top)
        }
        var answers: [(String, Double?, SourceLocation)] = []
        if let scalar = answersValue.scalar?.string, ["", "~", "null"].contains(scalar) {
            return AnswerSheet(path: path, lesson: lesson, answers: [])   // `answers:` with nothing yet
        }
        guard let entries = answersValue.mapping else {
            throw Diagnostic("answers maps exercise numbers to your answers, one per line under answers:, e.g.\nanswers:\n  1: 1.0865\n  2: 0.17", at: place(answersValue))
        }
        for (key, value) in entries {
            let label = (key.scalar?.string ?? "").lowercased()
            let digits = label.prefix { $0.isNumber }
            let part = label.dropFirst(digits.count)
            guard let number = Int(digits), number >= 1, part.count <= 1, part.allSatisfy({ ("a"..."z").contains($0) }) else {
                throw Diagnostic("'\(label)' is not an exercise number: number the answers 1, 2, 3, … as the lesson numbers its exercises (4a, 4b, … for the parts of exercise 4)", at: place(key))
            }
            let name = "\(number)\(part)"
            guard let text = value.scalar?.string else {
                throw Diagnostic("the answer to exercise \(name) must be one number", at: place(value))
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || ["~", "null"].contains(trimmed) {
                answers.append((name, nil, place(key)))
                continue
            }
            guard let x = Double(trimmed.replacingOccurrences(of: "_", with: "")), x.isFinite else {
                throw Diagnostic("'\(text)' is not a number: write the answer to exercise \(name) as a decimal number, e.g. 0.25 or -1.5e-3", at: place(value))
            }
            answers.append((name, x, place(key)))
        }
        return AnswerSheet(path: path, lesson: lesson, answers: answers)
    }

    // MARK: Grading

    public struct Graded: Sendable {
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
        var counts = ["\(right) of \(total) right"]
        if wrong > 0 { counts.append("\(wrong) wrong") }
        if blank > 0 { counts.append("\(blank) not answered") }
        let header = "\(lesson.path) — “\(lesson.frontMatter.title)”: \(counts.joined(separator: ", "))"
        return Graded(report: ([header, ""] + lines).joined(separator: "\n") + "\n", right: right, wrong: wrong)
    }

    /// The lesson named by `lesson:`: its file name without .md (with .md, or only its
    /// number, is accepted too).
    func loadLesson(from directory: String) throws(Diagnostic) -> Lesson {
        let folder = LessonsFolder(directory)
        guard folder.exists else {
            throw Diagnostic("attn check: the lessons folder '\(directory)' does not exist (use --lessons DIR)", at: nil)
        }
        let wanted = lesson.name.hasSuffix(".md") ? String(lesson.name.dropLast(3)) : lesson.name
        guard let file = folder.lessonFileName(named: wanted, .fileName) ?? folder.lessonFileName(named: wanted, .number) else {
            let stems = folder.lessonFileNames().map { String($0.dropLast(3)) }
            let hint = nearest(to: wanted, in: stems).map { "did you mean '\($0)'? " } ?? ""
            throw Diagnostic("there is no lesson '\(lesson.name)' in \(directory)/: \(hint)the lessons are \(stems.joined(separator: ", "))", at: lesson.location)
        }
        let path = folder.path(of: file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic("cannot read this lesson", at: SourceLocation(path: path, line: 1, column: 1))
        }
        let text = try MarkdownDocument.decode(data, path: path)
        return try LessonParser.parse(text, path: path, fileName: file)
    }

    // MARK: Text for a terminal

    /// Markdown with math and references as plain text: `$\omega$` → ω, `{{ d_k }}` → 64.
    static func plainText(_ markdown: String, _ lesson: Lesson) -> String {
        var out = ""
        for piece in Placeholder.split(markdown) {
            switch piece {
            case .text(let text): out += text
            case .placeholder(let index) where lesson.spans.indices.contains(index):
                switch lesson.spans[index].kind {
                case .math(let tex, _): out += plainTeX(tex)
                case .reference(let text): out += lesson.references[index].map { value($0.value) } ?? text
                }
            case .placeholder: break
            }
        }
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

    static func number(_ x: Double, digits: Int = 10) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.\(digits)g", x)
    }
}

extension Lesson {
    /// `02-attention-without-weights`
    var slugName: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }
}
