import Diagnostics
import Foundation
import TestSupport
import Testing
@testable import Site

@Suite("build errors name the lesson file, line and column")
struct BuildErrorTests {
    @Test("unknown TeX points at the command's own column", arguments: [
        ("inline", "Text $\\foo{x}$ here.\n", "lessons/01-x.md:8:7: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"),
        ("after Chinese text", "我想吃酸菜鱼 $a + \\alph$\n", "lessons/01-x.md:8:13: unknown TeX command \\alph (did you mean \\alpha?); see docs/authoring.md#math for the supported subset"),
        ("inline display", "See $$x = \\softmax(y)$$.\n", "lessons/01-x.md:8:11: unknown TeX command \\softmax; see docs/authoring.md#math for the supported subset"),
        ("display block", "$$\nx = 1\n  + \\frca{a}{b}\n$$\n", "lessons/01-x.md:10:5: unknown TeX command \\frca (did you mean \\frac?); see docs/authoring.md#math for the supported subset"),
        ("wrapped inline math", "Here $x +\n  \\foo$ wraps.\n", "lessons/01-x.md:9:3: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"),
        ("in a heading", "## About $\\foo$\n", "lessons/01-x.md:8:11: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"),
        ("in a table", "| a | b |\n|---|---|\n| 1 | $\\foo$ |\n", "lessons/01-x.md:10:8: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"),
        ("in a list", "- one\n- two $x \\foo$\n", "lessons/01-x.md:9:10: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"),
        ("a bad character", "Text $a ~ b$.\n", "lessons/01-x.md:8:9: unsupported character '~' in math; see docs/authoring.md#math"),
    ])
    func unknownTeX(_ name: String, _ body: String, _ message: String) throws {
        let errors = try buildErrors(["01-x.md": frontMatter + body])
        #expect(errors == [message], "\(name)")
    }

    @Test("unknown TeX in an exercise question points into the lesson")
    func texInExercise() throws {
        let lesson = frontMatter + smallBlock + "```exercise\nquestion: What is $\\foo$?\nhint: H\nanswer: alpha[am, am]\n```\n"
        let errors = try buildErrors(["01-x.md": lesson])
        #expect(errors == ["lessons/01-x.md:15:20: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"])
    }

    @Test("a level-1 heading in the body is an error", arguments: [
        ("# Big\n", "lessons/01-x.md:8:1"),
        ("Text.\n\nBig\n===\n", "lessons/01-x.md:10:1"),
        ("  # Indented\n", "lessons/01-x.md:8:3"),
    ])
    func levelOneHeading(_ body: String, _ place: String) throws {
        let errors = try buildErrors(["01-x.md": frontMatter + body])
        #expect(errors == ["\(place): a lesson's sections start at ## (level 2): the front matter's title is the page's only level-1 heading"])
    }

    @Test("two lessons with one slug")
    func duplicateSlugs() throws {
        let errors = try buildErrors(["01-intro.md": frontMatter, "02-intro.md": frontMatter])
        #expect(errors == [
            "lessons/02-intro.md:1:1: duplicate slug 'intro': lessons/01-intro.md already makes intro.html; rename one of the files",
        ])
    }

    @Test("a lesson may not be called index")
    func indexSlug() throws {
        let errors = try buildErrors(["01-index.md": frontMatter])
        #expect(errors == [
            "lessons/01-index.md:1:1: a lesson may not be called 'index': index.html is the course outline",
        ])
    }

    @Test("a bad file name")
    func badFileName() throws {
        let errors = try buildErrors(["Intro.md": frontMatter])
        #expect(errors == [
            "lessons/Intro.md:1:1: lesson file names look like NN-slug.md (e.g. 03-why-scale.md: a number, a dash, lowercase letters, digits and dashes), not 'Intro.md'",
        ])
    }

    @Test("every broken lesson is reported, in file order, and nothing is built")
    func severalErrors() throws {
        let errors = try buildErrors([
            "01-a.md": frontMatter + "Fine.\n",
            "02-b.md": "no front matter\n",
            "03-c.md": frontMatter + smallBlock + "{{ alpha[am, nope] }}\n",
        ])
        #expect(errors == [
            "lessons/02-b.md:1:1: a lesson starts with front matter between --- lines:\n---\ntitle: …\nsummary: …\nobjectives:\n  - …\n---",
            "lessons/03-c.md:14:1: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)",
        ])
    }

    @Test("errors from reading and from parsing come in file order, not course order, then clashing names")
    func errorOrder() throws {
        let first = "---\ntitle: T\nsummary: S\nobjectives:\n  - O\norder: 9\n---\n\n" + smallBlock + "{{ alpha[am, nope] }}\n"
        let errors = try buildErrors([
            "01-a.md": first,                                             // sorts last in the course
            "02-b.md": "no front matter\n",
            "03-c.md": frontMatter + "$$\nx\n",
            "04-a.md": frontMatter,
        ])
        #expect(errors == [
            "lessons/01-a.md:15:1: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)",
            "lessons/02-b.md:1:1: a lesson starts with front matter between --- lines:\n---\ntitle: …\nsummary: …\nobjectives:\n  - …\n---",
            "lessons/03-c.md:8:1: display math opened with $$ is never closed: add a line holding only $$",
            "lessons/04-a.md:1:1: duplicate slug 'a': lessons/01-a.md already makes a.html; rename one of the files",
        ])
    }

    @Test("errors in page rendering from two lessons are both reported")
    func severalRenderErrors() throws {
        let errors = try buildErrors(["01-a.md": frontMatter + "# One\n", "02-b.md": frontMatter + "$\\foo$\n"])
        #expect(errors == [
            "lessons/01-a.md:8:1: a lesson's sections start at ## (level 2): the front matter's title is the page's only level-1 heading",
            "lessons/02-b.md:8:2: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset",
        ])
    }

    @Test("invalid UTF-8 is an error at its line and column")
    func invalidUTF8() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons([:])
        var bytes = Array((frontMatter + "Caf").utf8)
        bytes.append(0xE9)
        try Data(bytes).write(to: URL(fileURLWithPath: scratch.lessons).appendingPathComponent("01-x.md"))
        #expect(throws: BuildFailure.self) { try SiteBuilder(lessons: scratch.lessons, output: scratch.site).render() }
        do {
            _ = try SiteBuilder(lessons: scratch.lessons, output: scratch.site).render()
        } catch {
            #expect(error.diagnostics.map { $0.description.replacingOccurrences(of: scratch.lessons, with: "lessons") } == [
                "lessons/01-x.md:8:4: invalid UTF-8 (byte 0xE9 at byte offset 50)\n  note: save the file as UTF-8",
            ])
        }
    }

    @Test("a missing or empty lessons folder")
    func noLessons() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        func errors() -> [String] {
            do {
                _ = try SiteBuilder(lessons: scratch.lessons, output: scratch.site).render()
                return []
            } catch {
                return error.diagnostics.map { $0.description.replacingOccurrences(of: scratch.lessons, with: "lessons") }
            }
        }
        #expect(errors() == ["attn: the lessons folder 'lessons' does not exist (use --lessons DIR)"])
        try scratch.writeLessons(["notes.txt": "x"])
        #expect(errors() == ["attn: no lessons (*.md files) in 'lessons': create one with a name like 01-first-steps.md"])
    }

    @Test("unused front matter keys are warnings, not errors")
    func warnings() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-x.md": "---\ntitle: T\nsummary: S\nobjectives: [O]\nauthor: me\n---\n"])
        let (_, report) = try SiteBuilder(lessons: scratch.lessons, output: scratch.site).render()
        #expect(report.warnings.map { $0.description.replacingOccurrences(of: scratch.lessons, with: "lessons") } == [
            "lessons/01-x.md:5:1: front matter key 'author' is not used: the keys are title, summary, objectives and order",
        ])
    }
}

@Suite("attn build, as a user runs it")
struct BuildCommandTests {
    func run(_ arguments: [String], in directory: URL) throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: attnBinary.path),
                     "the attn binary is not next to the test bundle: run `swift build` first")
        return try execute(attnBinary, arguments, in: directory)
    }

    @Test("a bad lesson: the message on stderr, exit status 1, the old site kept")
    func failingBuild() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-x.md": frontMatter + "Fine.\n"])
        let good = try run(["build"], in: scratch.url)
        #expect(good.status == 0)
        #expect(good.stdout == "built 1 lesson into site/ (3 files)\n")
        let before = try contents(of: scratch.site)

        try scratch.writeLessons(["01-x.md": frontMatter + smallBlock + "{{ alpha[am, nope] }}\n"])
        let bad = try run(["build"], in: scratch.url)
        #expect(bad.status == 1)
        #expect(bad.stdout == "")
        #expect(bad.stderr == """
            lessons/01-x.md:14:1: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)
            attn: the build failed; site/ was left as it was

            """)
        #expect(try contents(of: scratch.site) == before)
    }

    @Test("--out . is refused instead of replacing the project folder")
    func refusesProjectFolder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-x.md": frontMatter])
        let result = try run(["build", "--out", "."], in: scratch.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("attn: will not replace '.': it holds 'lessons', which a build does not make; choose a new or empty folder for --out, or delete it first\n"))
        #expect(FileManager.default.fileExists(atPath: scratch.lessons + "/01-x.md"))
    }
}

@Suite("TeX errors in multi-line exercise fields")
struct ExerciseTeXTests {
    @Test("a literal block question: the line and column of the command")
    func literalBlock() throws {
        let lesson = frontMatter + smallBlock + "```exercise\nquestion: |\n  What is\n  this $\\foo$?\nhint: H\nanswer: alpha[am, am]\n```\n"
        let errors = try buildErrors(["01-x.md": lesson])
        #expect(errors == ["lessons/01-x.md:17:9: unknown TeX command \\foo; see docs/authoring.md#math for the supported subset"])
    }
}
