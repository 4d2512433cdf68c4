import AttentionEngine
import Diagnostics
import HTML

/// The playground's page: the form (spec, display options, helpers), a problem next to it
/// when there is one, and the worked example below, rendered as a lesson renders a block.
/// Plain HTML forms, no script. Every value echoed goes through the HTML serializer.
public struct PlaygroundPage {
    public var form: Playground.Form
    public var examples: [Playground.Example]
    /// The example the form was loaded from, to preselect it in the list.
    public var selectedExample: String?
    /// A helper's refusal, or a problem with the request, shown next to the form.
    public var notice: String?

    public init(form: Playground.Form, examples: [Playground.Example], selectedExample: String? = nil, notice: String? = nil) {
        self.form = form
        self.examples = examples
        self.selectedExample = selectedExample
        self.notice = notice
    }

    /// The page, and its status: 200, or 422 when the spec or a helper has a problem (the
    /// page then shows it, with the text kept).
    public func render() -> (status: Int, html: String) {
        let outcome = Playground.workedNode(form)
        var problems: [Node] = []
        if let notice {
            problems.append(.element("div", ["class": "pg-problem", "role": "alert"], [
                .element("p", ["class": "pg-problem-title"], ["The helper could not do that"]),
                .element("pre", ["class": "diagnostic"], [.text(notice)]),
            ]))
        }
        var result: [Node] = []
        switch outcome {
        case .success(let section):
            result = [section]
        case .failure(let problem):
            var box: [Node] = [
                .element("p", ["class": "pg-problem-title"], [.text(problem.field.map { "The option “\($0)” has a problem" } ?? "The spec has a problem")]),
                .element("pre", ["class": "diagnostic"], [.text(problem.description)]),
            ]
            if let excerpt = excerpt(problem) { box.append(excerpt) }
            box.append(.element("p", ["class": "pg-hint"], ["Fix it in the text below and trace again; the spec format is documented key by key in docs/spec.md."]))
            problems.append(.element("div", ["class": "pg-problem", "role": "alert"], box))
        }
        let failed = notice != nil || result.isEmpty
        let main = Node.element("main", ["id": "main", "class": "playground"], [
            .element("h1", ["Playground"]),
            .element("p", ["class": "lede"], [
                .text("Change the tokens, the numbers or the options and trace again: attn recomputes every stage on this computer "
                    + "and works out the arithmetic of the focus token, exactly as on a lesson page. Start from one of the course's examples, "
                    + "or write a spec of your own (the format is in docs/spec.md)."),
            ]),
            examplesForm(),
            .element("form", ["class": "pg-form", "method": "post", "action": "playground", "accept-charset": "utf-8"], problems + [
                specField(),
                optionsFieldset(),
                .element("p", ["class": "pg-submit"], [
                    .element("button", ["type": "submit", "name": "action", "value": "trace", "class": "pg-primary"], ["Trace it"]),
                    " ",
                    .element("span", ["class": "pg-limits"], [.text("At most \(Playground.bounds.tokens) tokens, d_model up to \(Playground.bounds.width), \(Playground.bounds.heads) heads.")]),
                ]),
                helpersFieldset(),
            ]),
        ] + permalink() + [
            .element("div", ["class": "pg-result", "aria-live": "polite"], result.isEmpty ? [
                .element("p", ["class": "pg-empty"], ["Nothing traced yet: fix the problem above and trace again."]),
            ] : result),
        ])
        let document = Layout.document(title: "Playground · attn",
                                       description: "Trace your own spec: every number of self-attention worked out.",
                                       body: [main, .element("link", ["rel": "stylesheet", "href": "playground.css"])])
        return (failed ? 422 : 200, document.render())
    }

    /// The line of the spec a problem points at, with a caret under its column.
    func excerpt(_ problem: Playground.Problem) -> Node? {
        guard problem.field == nil, let line = problem.line else { return nil }
        let lines = SpecLines(form.spec).lines
        guard lines.indices.contains(line - 1) else { return nil }
        let text = lines[line - 1]
        let caret = String(repeating: " ", count: max(0, (problem.column ?? 1) - 1)) + "^"
        let number = "\(line) | "
        return .element("pre", ["class": "pg-excerpt", "aria-label": .string("Line \(line) of the spec")], [
            .text(number + text + "\n" + String(repeating: " ", count: number.count) + caret),
        ])
    }

    func examplesForm() -> Node {
        var groups: [Node] = []
        var lesson: String?
        var options: [Node] = []
        func flush() {
            if let lesson { groups.append(.element("optgroup", ["label": .string(lesson)], options)) }
            options = []
        }
        for example in examples {
            if example.lessonTitle != lesson { flush(); lesson = example.lessonTitle }
            options.append(.element("option", ["value": .string(example.id), "selected": .boolean(example.id == selectedExample)], [.text(example.name)]))
        }
        flush()
        guard !groups.isEmpty else { return .fragment([]) }
        return .element("form", ["class": "pg-examples", "method": "get", "action": "playground"], [
            .element("label", ["for": "pg-example"], ["Start from an example of the course"]),
            .element("span", ["class": "pg-row"], [
                .element("select", ["id": "pg-example", "name": "example"], groups),
                " ",
                .element("button", ["type": "submit"], ["Load"]),
            ]),
        ])
    }

    func specField() -> Node {
        let lineCount = SpecLines(form.spec).lines.count
        return .element("p", ["class": "pg-spec"], [
            .element("label", ["for": "pg-spec"], [
                "Spec ", .element("span", ["class": "pg-note"], ["(YAML: tokens, X, W_Q, W_K, W_V, heads, mask …)"]),
            ]),
            // A textarea drops one newline right after its start tag: this one, not the spec's.
            .element("textarea", ["id": "pg-spec", "name": "spec", "rows": .string("\(min(max(lineCount + 1, 10), 32))"), "cols": "60",
                                  "spellcheck": "false", "autocapitalize": "off", "autocomplete": "off"], [.text("\n" + form.spec)]),
        ])
    }

    func optionsFieldset() -> Node {
        let o = form.options
        func field(_ id: String, _ label: String, _ control: Node, note: String) -> Node {
            .element("p", ["class": "pg-field"], [
                .element("label", ["for": .string(id)], [.text(label)]),
                control,
                .element("span", ["class": "pg-note", "id": .string(id + "-note")], [.text(note)]),
            ])
        }
        let notation = Node.element("select", ["id": "pg-notation", "name": "notation", "aria-describedby": "pg-notation-note"], [
            .element("option", ["value": "", "selected": .boolean(o.notation.isEmpty)], ["as the spec says"]),
            .element("option", ["value": "row", "selected": .boolean(o.notation == "row")], ["row: Q = X·W_Q"]),
            .element("option", ["value": "column", "selected": .boolean(o.notation == "column")], ["column: q⁽ⁱ⁾ = U_q x⁽ⁱ⁾"]),
        ] + (["", "row", "column"].contains(o.notation) ? [] : [
            .element("option", ["value": .string(o.notation), "selected": true], [.text(o.notation)]),
        ]))
        var stages: [Node] = [.element("legend", ["Stages to show ", .element("span", ["class": "pg-note"], ["(none ticked: every stage)"])])]
        for stage in Stage.allCases {
            stages.append(.element("label", ["class": "pg-check"], [
                .element("input", ["type": "checkbox", "name": "show", "value": .string(stage.rawValue), "checked": .boolean(o.show.contains(stage.rawValue))]),
                .text(" " + stage.rawValue),
            ]))
        }
        return .element("fieldset", ["class": "pg-options"], [
            .element("legend", ["Display"]),
            field("pg-focus", "Focus token", .element("input", ["type": "text", "id": "pg-focus", "name": "focus", "value": .string(o.focus), "size": "12",
                                                               "maxlength": .string("\(Playground.maxOptionBytes)"), "aria-describedby": "pg-focus-note"]),
                  note: "its arithmetic is worked out: a token, or #N for the one at position N"),
            field("pg-decimals", "Decimals", .element("input", ["type": "text", "inputmode": "numeric", "id": "pg-decimals", "name": "decimals", "value": .string(o.decimals),
                                                               "size": "3", "maxlength": "2", "aria-describedby": "pg-decimals-note"]),
                  note: "0 to 8; empty: as the spec says (2)"),
            field("pg-notation", "Notation", notation, note: "how the formulas and tables are written"),
            .element("fieldset", ["class": "pg-stages"], stages),
        ])
    }

    func helpersFieldset() -> Node {
        func button(_ action: Playground.Action, _ label: String) -> Node {
            .element("button", ["type": "submit", "name": "action", "value": .string(action.rawValue)], [.text(label)])
        }
        return .element("fieldset", ["class": "pg-helpers"], [
            .element("legend", ["Try an idea"]),
            .element("p", ["class": "pg-note"], ["Each button edits the spec above, then traces it."]),
            .element("p", ["class": "pg-row"], [
                .element("label", ["for": "pg-size"], ["Size"]), " ",
                .element("input", ["type": "text", "inputmode": "numeric", "id": "pg-size", "name": "size", "value": .string(form.size), "size": "4", "maxlength": "4", "placeholder": "4"]),
                " ",
                .element("label", ["for": "pg-seed"], ["seed"]), " ",
                .element("input", ["type": "text", "inputmode": "numeric", "id": "pg-seed", "name": "seed", "value": .string(form.seed), "size": "7", "maxlength": "7", "placeholder": "1"]),
                " ",
                button(.seedWeights, "Seeded random weights of this size"),
                " ",
                button(.seedX, "Seeded random X of this width"),
            ]),
            .element("p", ["class": "pg-row"], [
                button(.causal, "Add a causal mask"), " ",
                button(.twoHeads, "Two heads"), " ",
                button(.unscaled, "Unscaled (no ÷ √d_k)"),
            ]),
        ])
    }

    /// A link that traces this spec again: to bookmark or share (when short enough).
    func permalink() -> [Node] {
        var fields = [("spec", form.spec)]
        let o = form.options
        if !o.focus.isEmpty { fields.append(("focus", o.focus)) }
        if !o.decimals.isEmpty { fields.append(("decimals", o.decimals)) }
        for stage in o.show { fields.append(("show", stage)) }
        if !o.notation.isEmpty { fields.append(("notation", o.notation)) }
        let query = fields.map { "\($0.0)=\(Playground.formEncoded($0.1))" }.joined(separator: "&")
        guard !form.spec.isEmpty, query.utf8.count <= Playground.maxQueryBytes else { return [] }
        return [.element("p", ["class": "pg-permalink"], [
            .element("a", ["href": .string("playground?" + query)], ["Link to this spec"]),
            " (bookmark it, or send it: it traces the same numbers again)",
        ])]
    }
}

extension Playground {
    /// The longest query `GET /playground?…` takes, in bytes (as sent, percent-encoded).
    public static let maxQueryBytes = 32 * 1024
}
