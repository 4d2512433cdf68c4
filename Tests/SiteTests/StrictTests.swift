import Diagnostics
import Foundation
import Testing
@testable import Site

/// Lines 8–17: a section that names *am*, a block focused on it, and a blank line.
private let section = "## Looking\n\nThe query *am* looks at every key.\n\n```attention\nname: b\nfocus: am\ntokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\n```\n\n"
/// An exercise on the block above.
private let exercise = "```exercise\nquestion: How much does *am* weigh *I*?\nhint: Softmax.\nanswer: alpha[am, I]\n```\n"

/// The strict builder's messages for `files` (scratch folder shown as `lessons/`), nil when it builds.
private func strictErrors(_ files: [String: String], allowRawHTML: Bool = false) throws -> [String]? {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.writeLessons(files)
    do {
        _ = try SiteBuilder(lessons: scratch.lessons, output: scratch.site, options: .init(allowRawHTML: allowRawHTML), strict: true).render()
        return nil
    } catch {
        return error.diagnostics.map { $0.description.replacingOccurrences(of: scratch.lessons, with: "lessons") }
    }
}

@Suite("attn build --strict")
struct StrictTests {
    @Test("a finished lesson passes")
    func clean() throws {
        #expect(try strictErrors(["01-a.md": frontMatter + section + exercise]) == nil)
    }

    @Test("an unused front-matter key is an error, not a warning")
    func unusedKey() throws {
        let text = "---\ntitle: T\nsummary: S\nobjectives:\n  - O\nauthor: me\n---\n\n" + section + exercise
        #expect(try strictErrors(["01-a.md": text]) == [
            "lessons/01-a.md:6:1: front matter key 'author' is not used: the keys are title, summary, objectives and order",
        ])
        #expect(try buildErrors(["01-a.md": text]) == nil)   // a warning only, without --strict
    }

    @Test("a lesson without exercises")
    func noExercises() throws {
        #expect(try strictErrors(["01-a.md": frontMatter + section]) == [
            "lessons/01-a.md:1:1: this lesson has no exercises: add an ```exercise block (strict builds need at least one per lesson)",
        ])
        #expect(try buildErrors(["01-a.md": frontMatter + section]) == nil)
    }

    @Test("missing objectives fail every build, strict or not")
    func noObjectives() throws {
        let text = "---\ntitle: T\nsummary: S\n---\n\n" + section + exercise
        let message = try #require(try strictErrors(["01-a.md": text]))
        #expect(message.count == 1 && message[0].hasPrefix("lessons/01-a.md:1:1: the front matter needs objectives"))
        #expect(try buildErrors(["01-a.md": text]) == message)
    }

    @Test("a focus token the prose never names")
    func unexplainedFocus() throws {
        let quiet = section.replacingOccurrences(of: "The query *am* looks", with: "The query looks")
        #expect(try strictErrors(["01-a.md": frontMatter + quiet + exercise]) == [
            "lessons/01-a.md:12:1: focus token 'am' is never explained: name it in the prose of this section, outside code (strict builds check that the text says what the worked example looks at)",
        ])
        // In code it does not count; a word containing it does not either.
        let code = section.replacingOccurrences(of: "The query *am* looks", with: "The query `am` (a camel) looks")
        #expect(try strictErrors(["01-a.md": frontMatter + code + exercise])?.count == 1)
        // The block's title counts.
        let titled = quiet.replacingOccurrences(of: "name: b\n", with: "name: b\ntitle: \"what am sees\"\n")
        #expect(try strictErrors(["01-a.md": frontMatter + titled + exercise]) == nil)
    }

    @Test("broken links between lessons, with the column of the target")
    func brokenLinks() throws {
        let links = "See [b](b.html), [its exercises](b.html#exercises), [here](#looking), [the web](https://example.com/x.html) and `[code](nope.html)`.\n\n"
            + "Broken: [1](02-b.md), [2](03-c.md), [3](c.html), [4](#nowhere), [5](b.html#exercise-9).\n\n"
        let a = frontMatter + section + links + exercise
        let b = "---\ntitle: B\nsummary: S\nobjectives:\n  - O\n---\n\n" + section + exercise
        #expect(try strictErrors(["01-a.md": a, "02-b.md": b]) == [
            "lessons/01-a.md:21:13: broken link '02-b.md': the site has no .md files; link to the lesson's page, 'b.html'",
            "lessons/01-a.md:21:27: broken link '03-c.md': there is no lesson file '03-c.md' (did you mean '01-a.md'?)",
            "lessons/01-a.md:21:41: broken link 'c.html': there is no page 'c.html' (did you mean 'a.html'?)",
            "lessons/01-a.md:21:54: broken link '#nowhere': a.html has no anchor '#nowhere'",
            "lessons/01-a.md:21:69: broken link 'b.html#exercise-9': b.html has no anchor '#exercise-9' (did you mean 'exercise-1'?)",
        ])
    }

    @Test("anchors in raw HTML count when raw HTML is allowed")
    func rawHTMLAnchors() throws {
        let a = frontMatter + section + "<a id=\"raw\"></a>\n\nSee [there](#raw) and [the guide](b.html#raw).\n\n" + exercise
        let b = "---\ntitle: B\nsummary: S\nobjectives:\n  - O\n---\n\n" + section + "<span id=\"raw\">B</span>\n\n" + exercise
        #expect(try strictErrors(["01-a.md": a, "02-b.md": b], allowRawHTML: true) == nil)
        let withoutRawHTML = try strictErrors(["01-a.md": a, "02-b.md": b])
        #expect(withoutRawHTML == [
            "lessons/01-a.md:21:13: broken link '#raw': a.html has no anchor '#raw'",
            "lessons/01-a.md:21:35: broken link 'b.html#raw': b.html has no anchor '#raw'",
        ])
    }
}
