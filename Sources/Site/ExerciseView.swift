import AttentionEngine
import Diagnostics
import HTML
import Lessons
import TraceFormat

/// A lesson's exercises as the page shows them: each numeric answer with a box that says
/// at once, with no script, whether what the student typed is right (its `pattern`
/// accepts exactly the answers in `Answer.accepted`, and CSS shows `:valid` and `:invalid`);
/// a question about an idea with a box to write in and a model answer to judge it by; the
/// hint and the worked solution behind "Show"; and, for print only, an answer key.
struct ExerciseView {
    let lesson: Lesson
    let inline: InlineRenderer
    /// Each attention block's id on the page, for "from Worked example N" links.
    let blockIDs: [String]

    func section() throws(Diagnostic) -> Node {
        var items: [Node] = []
        for exercise in lesson.exercises { items.append(try item(exercise)) }
        return .element("section", ["class": "exercises", "aria-labelledby": "exercises"], [
            .element("h2", ["id": "exercises"], ["Exercises"]),
            .element("p", ["class": "exercises-note"], [
                "Type an answer in a box and it says at once whether it is right, to the decimals asked for. Hints and worked solutions are behind Show.",
            ]),
            .element("ol", items),
        ])
    }

    func item(_ exercise: Exercise) throws(Diagnostic) -> Node {
        let id = "exercise-\(exercise.number)"
        var children: [Node] = [
            .element("h3", ["class": "exercise-title"], [.text("Exercise \(exercise.number)")]),
            .element("div", ["class": "question"], [try inline.fragment(exercise.questionDocument)]),
        ]
        if let concept = exercise.concept {
            children.append(.element("p", ["class": "answer-box concept"], [
                .element("label", ["for": .string(id + "-answer")], ["Your answer, in a few sentences"]),
                .element("textarea", ["id": .string(id + "-answer"), "rows": "4", "spellcheck": "true"], []),
            ]))
            children.append(.element("details", ["class": "hint"], [.element("summary", ["Hint"]), try inline.fragment(exercise.hintDocument)]))
            children.append(.element("details", ["class": "solution"], [
                .element("summary", ["Model answer"]),
                try inline.fragment(concept.modelDocument),
                .element("p", ["A good answer mentions (tick what yours does):"]),
                .element("ul", ["class": "mentions"], try concept.mentionDocuments.enumerated().map { (index, mention) throws(Diagnostic) in
                    .element("li", [.element("label", [
                        .element("input", ["type": "checkbox", "id": .string("\(id)-mention-\(index + 1)")]),
                        .text(" "), try inline.fragment(mention, inline: true),
                    ])])
                }),
            ]))
        } else if exercise.answers.count == 1, let answer = exercise.answers.first {
            children.append(box(answer, id: id + "-answer"))
            children.append(.element("details", ["class": "hint"], [.element("summary", ["Hint"]), try inline.fragment(exercise.hintDocument)]))
            children.append(.element("details", ["class": "solution"], [.element("summary", ["Worked solution"])] + solution(answer)))
        } else {
            var parts: [Node] = []
            var solutions: [Node] = []
            for answer in exercise.answers {
                let label = answer.label ?? ""
                parts.append(.element("li", ["class": "part"], [
                    .element("div", ["class": "prompt"], [try answer.promptDocument.map { (document) throws(Diagnostic) in try inline.fragment(document) } ?? .text("")]),
                    box(answer, id: "\(id)-\(label)"),
                ]))
                solutions.append(.element("li", solution(answer)))
            }
            children.append(.element("ol", ["class": "parts", "type": "a"], parts))
            children.append(.element("details", ["class": "hint"], [.element("summary", ["Hint"]), try inline.fragment(exercise.hintDocument)]))
            children.append(.element("details", ["class": "solution"], [
                .element("summary", ["Worked solution"]), .element("ol", ["class": "parts", "type": "a"], solutions),
            ]))
        }
        return .element("li", ["id": .string(id), "class": "exercise"], children)
    }

    /// The answer box: a text input whose pattern accepts the right answers, and a status
    /// that CSS fills in ("✓ right" or "✗ not yet") for eyes and screen readers alike.
    func box(_ answer: Answer, id: String) -> Node {
        var attributes: Attributes = ["id": .string(id), "type": "text", "inputmode": "decimal", "autocomplete": "off",
                                      "spellcheck": "false", "placeholder": " ", "aria-describedby": .string(id + "-state")]
        if let pattern = Self.pattern(answer.accepted, decimals: answer.decimals) {
            attributes.add("pattern", .string(pattern.expression))
        }
        let places = answer.decimals == 1 ? "1 decimal" : "\(answer.decimals) decimals"
        return .element("p", ["class": "answer-box"], [
            .element("label", ["for": .string(id)], [.text("Your answer"), .element("span", ["class": "precision"], [.text(" (to \(places))")])]),
            .element("input", attributes),
            .element("span", ["id": .string(id + "-state"), "class": "answer-state", "aria-live": "polite"]),
        ])
    }

    /// The answer, where it comes from, how it is worked, and what counts as right.
    func solution(_ answer: Answer) -> [Node] {
        let block = lesson.attentionBlocks[answer.block]
        var out: [Node] = [
            .element("p", ["class": "answer-line"], [
                .text("Answer: "), .element("strong", ["class": "answer"], [.text(NumberFormat.fixed(answer.value, decimals: Self.shownDecimals(answer)))]),
                .text(" — \(readable(answer.reference, heads: block.spec.heads)), from "),
                .element("a", ["href": .string("#\(blockIDs[answer.block])")], [.text(exampleName(block))]),
                .text("."),
            ]),
        ]
        if let cell = answer.cell {
            out.append(.element("p", ["class": "arith"], [.text(Worked(decimals: answer.decimals).cell(cell.event, row: cell.row, column: cell.column).text)]))
        }
        out.append(.element("p", ["class": "accepted"], [.text(Self.acceptance(answer))]))
        return out
    }

    /// The answer's decimals as the worked line prints it: none when its table is all whole.
    static func shownDecimals(_ answer: Answer) -> Int {
        guard let cell = answer.cell, cell.part == nil else { return answer.decimals }
        return NumberFormat.decimals(for: cell.event.values.storage, answer.decimals)
    }

    /// "Accepted: from 0.1237 to 0.1242 …", in words a student can check their work by.
    static func acceptance(_ answer: Answer) -> String {
        guard let range = answer.shownRange else { return "Accepted: exactly this value." }
        let (low, high) = (NumberFormat.fixed(range.low, decimals: range.decimals), NumberFormat.fixed(range.high, decimals: range.decimals))
        if let tolerance = answer.tolerance {
            return "Accepted: from \(low) to \(high) (the answer ± \(NumberFormat.fixed(tolerance, decimals: range.decimals)))."
        }
        return "Accepted: from \(low) to \(high), which covers rounding any step of the work to \(answer.decimals) decimals."
    }

    /// The interval at two more decimals than asked, rounded outwards; nil when the numbers
    /// are too large for whole-number arithmetic (the box then checks nothing).
    static func pattern(_ accepted: Bounds, decimals: Int) -> AnswerPattern? {
        var scale = min(decimals + 2, 12)
        while scale > 0 && max(abs(accepted.low), abs(accepted.high)) * Double(AnswerPattern.power(scale)) > 1e15 { scale -= 1 }
        let factor = Double(AnswerPattern.power(scale))
        let (low, high) = ((accepted.low * factor).rounded(.down), (accepted.high * factor).rounded(.up))
        guard abs(low) < 1e15, abs(high) < 1e15 else { return nil }
        return AnswerPattern(low: Int(low), high: Int(high), scale: scale)
    }

    /// For print: every answer on a page of its own at the end.
    func answerKey() -> Node? {
        guard !lesson.exercises.isEmpty else { return nil }
        let items: [Node] = lesson.exercises.map { exercise in
            if exercise.concept != nil {
                return .element("li", [.text("Exercise \(exercise.number): see the model answer and what it mentions.")])
            }
            let numbers = exercise.answers.map { answer in
                (answer.label.map { "(\($0)) " } ?? "") + NumberFormat.fixed(answer.value, decimals: answer.decimals)
            }
            return .element("li", [.text("Exercise \(exercise.number): " + numbers.joined(separator: ", "))])
        }
        return .element("section", ["class": "answer-key", "aria-label": "Answer key (for print)"], [
            .element("h2", ["Answer key"]), .element("ul", items),
        ])
    }
}
