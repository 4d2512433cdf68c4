import Diagnostics
import HTML
import Lessons
import Markdown

/// The frame shared by every page: skip link, site header, main landmark, footer.
struct Layout {
    static let courseTitle = "attn — self-attention, traced step by step"

    static func document(title: String, description: String, body: [Node], stylesheet: String = "style.css") -> Document {
        Document(lang: "en", head: [
            .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            .element("meta", ["name": "description", "content": .string(description)]),
            .element("meta", ["name": "color-scheme", "content": "light dark"]),
            .element("title", [.text(title)]),
            .element("link", ["rel": "stylesheet", "href": .string(stylesheet)]),
        ], body: [
            .element("a", ["class": "skip", "href": "#main"], ["Skip to the lesson"]),
            .element("header", ["class": "site"], [
                .element("a", ["class": "brand", "href": "index.html"], [.element("span", ["class": "logo", "aria-hidden": "true"], ["α"]), " attn"]),
                .element("span", ["class": "tagline"], ["self-attention, traced step by step"]),
            ]),
        ] + body + [
            .element("footer", ["class": "site"], [
                .element("p", ["Every number on these pages was computed by attn from the lesson's spec; none was typed by hand."]),
            ]),
        ])
    }
}

/// A line of the table of contents: a section, with the worked examples in it.
struct TOCEntry {
    var id: String
    /// The entry as the heading shows it (math as MathML, references as numbers).
    var label: Node
    var children: [TOCEntry] = []

    init(id: String, text: String) { self.init(id: id, label: .text(text)) }
    init(id: String, label: Node) { self.id = id; self.label = label }
}

/// One lesson as a page: title, objectives, table of contents, prose with worked
/// examples, exercises, and links to the previous and next lessons.
struct LessonPage {
    /// A neighbouring lesson, as the pager links to it.
    struct Neighbour: Sendable, Equatable {
        let fileName: String
        let title: String
        init(_ header: LessonHeader) { fileName = LessonPage.fileName(slug: header.slug); title = header.frontMatter.title }
    }

    let lesson: Lesson
    let previous: Neighbour?
    let next: Neighbour?

    func document() throws(Diagnostic) -> Document {
        let blockIDs = lesson.attentionBlocks.map { "example-\($0.ordinal)" }
        let inline = InlineRenderer(lesson: lesson, blockIDs: blockIDs)
        var slugger = HeadingSlugger()
        _ = slugger.uniqueSlug(for: "objectives")
        _ = slugger.uniqueSlug(for: "exercises")
        for id in blockIDs { _ = slugger.uniqueSlug(for: id) }
        for exercise in lesson.exercises { _ = slugger.uniqueSlug(for: "exercise-\(exercise.number)") }
        var content: [Node] = []
        var toc: [TOCEntry] = []
        var level = 1
        for block in lesson.blocks {
            switch block {
            case .markdown(let markdown):
                if case .heading(let headingLevel, let text) = markdown.kind {
                    guard headingLevel >= 2 else {
                        throw Diagnostic("a lesson's sections start at ## (level 2): the front matter's title is the page's only level-1 heading", at: markdown.location)
                    }
                    let plain = inline.plainText(text)
                    let id = slugger.uniqueSlug(for: plain)
                    level = headingLevel
                    var heading = Node.text("")
                    if let html = markdown.inlineHTML { heading = try inline.substitute(html) }
                    if headingLevel == 2 { toc.append(TOCEntry(id: id, label: heading)) }
                    content.append(.element("h\(headingLevel)", ["id": .string(id)], [heading]))
                } else {
                    content.append(try inline.substitute(markdown.html))
                }
            case .attention(let index):
                let block = lesson.attentionBlocks[index]
                content.append(try TraceView(block: block, id: blockIDs[index], level: min(level + 1, 5)).node())
                let entry = TOCEntry(id: blockIDs[index], text: exampleName(block))
                if toc.isEmpty { toc.append(entry) } else { toc[toc.count - 1].children.append(entry) }
            case .exercise:
                continue   // gathered at the end
            }
        }
        let exerciseView = ExerciseView(lesson: lesson, inline: inline, blockIDs: blockIDs)
        if !lesson.exercises.isEmpty {
            toc.append(TOCEntry(id: "exercises", text: "Exercises"))
            content.append(try exerciseView.section())
        }
        if let key = exerciseView.answerKey() { content.append(key) }

        let front = lesson.frontMatter
        func field(_ text: String, _ key: String) throws(Diagnostic) -> [Node] { try FrontMatterText.nodes(text, at: front.locations[key]) }
        var objectives: [Node] = []
        for objective in front.objectives { objectives.append(.element("li", try field(objective, "objectives"))) }
        let header = Node.element("header", ["class": "lesson-head"], [
            .element("p", ["class": "kicker"], [.text("Lesson \(lesson.order)")]),
            .element("h1", try field(front.title, "title")),
            .element("p", ["class": "summary"], try field(front.summary, "summary")),
            .element("section", ["class": "objectives", "aria-labelledby": "objectives"], [
                .element("h2", ["id": "objectives"], ["After this lesson you can"]),
                .element("ul", objectives),
            ]),
        ])
        func list(_ entries: [TOCEntry]) -> Node {
            .element("ol", entries.map { entry in
                .element("li", [.element("a", ["href": .string("#\(entry.id)")], [entry.label])] + (entry.children.isEmpty ? [] : [list(entry.children)]))
            })
        }
        let nav = Node.element("nav", ["class": "toc", "aria-label": "On this page"], [
            .element("h2", ["class": "toc-title"], ["On this page"]),
            list(toc),
        ])
        var pager: [Node] = []
        if let previous { pager.append(.element("a", ["class": "prev", "rel": "prev", "href": .string(previous.fileName)],
            [.element("span", ["class": "dir"], ["← Previous"])] + (try FrontMatterText.nodes(previous.title, at: nil)))) }
        pager.append(.element("a", ["class": "up", "href": "index.html"], ["All lessons"]))
        if let next { pager.append(.element("a", ["class": "next", "rel": "next", "href": .string(next.fileName)],
            [.element("span", ["class": "dir"], ["Next →"])] + (try FrontMatterText.nodes(next.title, at: nil)))) }

        let main = Node.element("main", ["id": "main", "class": "lesson"], [
            .element("article", [header, nav, .element("div", ["class": "lesson-body"], content)]),
            .element("nav", ["class": "pager", "aria-label": "Lessons"], pager),
        ])
        return Layout.document(title: "\(FrontMatterText.plain(front.title)) · attn", description: FrontMatterText.plain(front.summary), body: [main])
    }

    static func fileName(_ lesson: Lesson) -> String { fileName(slug: lesson.slug) }
    static func fileName(slug: String) -> String { "\(slug).html" }
}

/// How a reader knows an attention block: “Worked example 2 (I am good)”.
func exampleName(_ block: AttentionBlock) -> String {
    "Worked example \(block.ordinal)" + (block.title.map { " (\(FrontMatterText.plain($0)))" } ?? "")
}

/// A trace reference as a reader writes it, without the block's name: `α[am, good]`,
/// `Z[am] in head 1`, `α[am, am].max`.
func readable(_ reference: TraceReference, heads: Int) -> String {
    var text = reference.matrix
    if let row = reference.row { text += "[" + row + (reference.column.map { ", " + $0 } ?? "") + "]" }
    if let part = reference.part { text += "." + part }
    if heads > 1 { text += " in head \(reference.head ?? 0)" }
    return text
}

/// The course outline: every lesson with its summary and objectives.
struct IndexPage {
    let lessons: [Lesson]
    var guides: [Guide] = []

    func document() -> Document {
        // Front matter that does not render was reported by the lesson's own page.
        func field(_ text: String) -> [Node] { (try? FrontMatterText.nodes(text, at: nil)) ?? [.text(FrontMatterText.plain(text))] }
        // Each lesson is one card, and the whole card is the link.
        let items: [Node] = lessons.map { lesson in
            .element("li", [.element("a", ["class": "card", "href": .string(LessonPage.fileName(lesson))], [
                .element("span", ["class": "kicker"], [.text("Lesson \(lesson.order)")]),
                .element("h2", field(lesson.frontMatter.title)),
                .element("span", ["class": "summary"], field(lesson.frontMatter.summary)),
                .element("span", ["class": "goals-label"], ["You will learn to"]),
                .element("ul", ["class": "objectives"], lesson.frontMatter.objectives.map { .element("li", field($0)) }),
            ])])
        }
        let main = Node.element("main", ["id": "main", "class": "index"], [
            .element("h1", ["Self-attention, traced step by step"]),
            .element("p", ["class": "lede"], [.text("A short course on the attention mechanism of transformers, worked with real numbers: "
                + "every score, weight and context vector is computed in front of you, and every exercise can be checked.")]),
            .element("ol", ["class": "outline"], items),
        ] + (guides.isEmpty ? [] : [
            .element("section", ["class": "guides", "aria-labelledby": "guides"], [
                .element("h2", ["id": "guides"], ["Guides"]),
                .element("ul", guides.map { .element("li", [.element("a", ["href": .string($0.fileName)], [.text($0.title)])]) }),
            ]),
        ]))
        return Layout.document(title: "attn — self-attention, traced step by step", description: "A course on self-attention with every number worked out.", body: [main])
    }
}
