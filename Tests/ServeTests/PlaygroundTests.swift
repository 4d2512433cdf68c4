import Foundation
import TestSupport
import Testing
@testable import Serve
@testable import Site
import Lessons
import SpecLoader

let iAmGood = (try? String(contentsOf: repositoryRoot.appendingPathComponent("examples/i-am-good.yaml"), encoding: .utf8)) ?? ""

/// `application/x-www-form-urlencoded` of `fields`, as a browser sends it.
func formBody(_ fields: [(String, String)]) -> [UInt8] {
    Array(fields.map { "\($0.0)=\(Playground.formEncoded($0.1))" }.joined(separator: "&").utf8)
}

func post(_ fields: [(String, String)], examples: [Playground.Example] = []) -> HTTPResponse {
    PlaygroundRoute.respond(to: HTTPRequest(method: "POST", path: "/playground", headers: ["content-type": "application/x-www-form-urlencoded"],
                                            body: formBody(fields)), examples: examples)
}

@Suite("form decoding")
struct FormDecodingTests {
    @Test("names and values: + is a space, %XX a byte, UTF-8")
    func decodes() throws {
        let fields = try FormDecoding.decode(Array("spec=a+b%3A%20c%0D%0A&focus=%E2%88%9A&show=x&show=".utf8))
        #expect(fields.map(\.name) == ["spec", "focus", "show", "show"])
        #expect(fields.map(\.value) == ["a b: c\r\n", "√", "x", ""])
        #expect(try FormDecoding.decode([]).isEmpty)
    }

    @Test("malformed encodings are errors with a message", arguments: [
        ("spec=%G1", "malformed percent-encoding"), ("spec=%2", "malformed percent-encoding"), ("spec", "has no '='"),
        ("a=1&&b=2", "is empty"), ("a=1&", "is empty"), ("=1", "empty name"), ("spec=%FF%FE", "not UTF-8"), ("spec=%00", "NUL"),
    ])
    func malformed(_ input: String, _ message: String) {
        #expect(throws: FormDecoding.Failure.self) { try FormDecoding.decode(Array(input.utf8)) }
        do { _ = try FormDecoding.decode(Array(input.utf8)) } catch { #expect(error.description.contains(message), "\(error)") }
    }
}

@Suite("the playground page")
struct PlaygroundPageTests {
    @Test("I am good: its worked tables, MathML and the focus token's arithmetic, with the form above")
    func iAmGoodTraces() {
        #expect(!iAmGood.isEmpty)
        let response = post([("spec", iAmGood), ("focus", "am"), ("action", "trace")])
        #expect(response.status == 200)
        let body = response.body
        #expect(body.contains("<form class=\"pg-form\" method=\"post\" action=\"playground\""))
        #expect(body.contains("<section class=\"trace\" aria-labelledby=\"example-1\">"))
        #expect(body.contains("<table") && body.contains("<math") && body.contains("Worked for <strong>am</strong>"))
        // The same section a lesson block renders: Site's own renderer.
        let section = try? Playground.workedSection(Playground.Form(spec: iAmGood, options: .init(focus: "am"))).get()
        #expect(section.map { body.contains($0) } == true)
        // The text is kept in the form.
        #expect(body.contains("tokens: [I, am, good]"))
    }

    @Test("a ragged row: the error with its line and column next to the form, the text kept")
    func raggedRow() {
        let spec = "tokens: [I, am, good]\nX:\n  - [1, 0, 1, 0]\n  - [0, 2, 0]\n  - [1, 1, 1, 1]\n"
        let response = post([("spec", spec.replacingOccurrences(of: "\n", with: "\r\n"))])
        #expect(response.status == 422)
        #expect(response.body.contains("4:5: X row 1 has 3 numbers but row 0 has 4"))
        #expect(response.body.contains("4 |   - [0, 2, 0]"))
        #expect(response.body.contains(">\n" + spec + "</textarea>"))
        #expect(!response.body.contains("<section class=\"trace\""))
    }

    @Test("<script> in a token, the focus and the options comes back escaped")
    func escapes() {
        let spec = "tokens: ['<script>alert(1)</script>', am, good]\nX: [[1, 0], [0, 1], [1, 1]]\n"
        let response = post([("spec", spec), ("focus", "<script>alert(1)</script>")])
        #expect(response.status == 200)
        #expect(!response.body.contains("<script>alert"))
        #expect(response.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let bad = post([("spec", spec), ("focus", "\"><script>x</script>"), ("notation", "<b>")])
        #expect(bad.status == 422 && !bad.body.contains("<script>x") && !bad.body.contains("<b>"))
        #expect(bad.body.contains("Focus token: focus '\"&gt;&lt;script&gt;x&lt;/script&gt;' is not one of the tokens"))
    }

    @Test("a 10,000-token spec is refused quickly, with a message naming the bound")
    func tooManyTokens() {
        let spec = "tokens: [" + (0..<10_000).map { "t\($0)" }.joined(separator: ", ") + "]\nX: {seed: 1}\nd_model: 4\n"
        let start = Date()
        let response = post([("spec", spec)])
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(response.status == 422)
        #expect(response.body.contains("1:9: tokens has 10000 tokens; the playground takes at most 64"))
    }

    @Test("other bounds: d_model, heads, files, nesting, aliases", arguments: [
        ("tokens: [a]\nd_model: 100000\nX: {seed: 1}\n", "d_model is 100000; the playground takes at most 256"),
        ("tokens: [a]\nd_model: 64\nheads: 64\nX: {seed: 1}\n", "heads is 64; the playground takes at most 16"),
        ("tokens: [a]\nd_model: 64\nheads: 16\nd_k: 32\nX: {seed: 1}\n", "heads × d_k is 16 × 32 = 512"),
        ("tokens: [a]\nX: {file: /etc/passwd.csv}\n", "the playground reads no files"),
        ("spec: /etc/hosts\n", "the playground reads no files"),
        ("tokens: [a]\nX: " + String(repeating: "[", count: 5000) + "\n", "nest more than 12 deep"),
        ("a: &a [1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\ntokens: [a]\nX: [[1]]\n", "more than 200000 values"),
    ])
    func bounds(_ spec: String, _ message: String) {
        let response = post([("spec", spec)])
        #expect(response.status == 422)
        #expect(response.body.contains(message), "\(response.body.prefix(3000))")
    }

    @Test("requests it cannot take: 400, 405, 414, 415 with a message")
    func badRequests() {
        func status(_ r: HTTPResponse) -> Int { r.status }
        #expect(post([("spec", iAmGood), ("colour", "red")]).body.contains("unknown field 'colour'"))
        #expect(post([("spec", iAmGood), ("colour", "red")]).status == 400)
        #expect(post([("spec", iAmGood), ("spec", iAmGood)]).body.contains("the field 'spec' is given twice"))
        #expect(post([("spec", String(repeating: "x", count: Playground.maxSpecBytes + 1))]).status == 400)
        #expect(post([("spec", iAmGood), ("focus", String(repeating: "a", count: 300))]).body.contains("the field 'focus' is 300 bytes"))
        #expect(post([("spec", iAmGood), ("action", "explode")]).body.contains("unknown action 'explode'"))
        let malformed = PlaygroundRoute.respond(to: HTTPRequest(method: "POST", path: "/playground", headers: ["content-type": "application/x-www-form-urlencoded"],
                                                                body: Array("spec=%ZZ".utf8)), examples: [])
        #expect(malformed.status == 400 && malformed.body.contains("malformed percent-encoding"))
        let json = PlaygroundRoute.respond(to: HTTPRequest(method: "POST", path: "/playground", headers: ["content-type": "application/json"], body: Array("{}".utf8)), examples: [])
        #expect(json.status == 415)
        let long = PlaygroundRoute.respond(to: HTTPRequest(method: "GET", path: "/playground", query: "spec=" + String(repeating: "a", count: 40_000)), examples: [])
        #expect(long.status == 414 && long.body.contains("submit the form instead"))
        #expect(PlaygroundRoute.respond(to: HTTPRequest(method: "DELETE", path: "/playground"), examples: []).status == 405)
    }

    @Test("GET ?spec=… traces too, so that a result can be bookmarked; the page links to itself")
    func bookmarkable() {
        let query = String(decoding: formBody([("spec", iAmGood), ("focus", "good"), ("show", "similarity"), ("show", "normalization")]), as: UTF8.self)
        let response = PlaygroundRoute.respond(to: HTTPRequest(method: "GET", path: "/playground", query: query), examples: [])
        #expect(response.status == 200)
        #expect(response.body.contains("Worked for <strong>good</strong>"))
        #expect(response.body.contains("stage-similarity") && !response.body.contains("stage-projection"))
        #expect(response.body.contains("href=\"playground?" + query.replacingOccurrences(of: "&", with: "&amp;") + "\""))
    }

    @Test("the helpers edit the spec (causal mask, two heads, unscaled, seeded weights and X) and trace it")
    func helpers() throws {
        let causal = post([("spec", iAmGood), ("action", "causal")])
        #expect(causal.status == 200 && causal.body.contains("mask: causal\n</textarea>") && causal.body.contains("stage-masking"))
        let unscaled = post([("spec", iAmGood), ("action", "unscaled")])
        #expect(unscaled.status == 200 && unscaled.body.contains("scale: false") && unscaled.body.contains("no scaling"))
        let seeded = post([("spec", iAmGood), ("action", "seed-weights"), ("size", "4"), ("seed", "7")])
        #expect(seeded.status == 200 && seeded.body.contains("W_Q: {seed: 8}") && seeded.body.contains("d_k: 4"))
        // Three columns do not split into two heads; four do, after the seeded weights.
        let fourWide = try Playground.apply(.seedWeights, to: .init(spec: iAmGood, size: "4"), example: nil).get().spec
        let twoHeads = post([("spec", fourWide), ("action", "two-heads")])
        #expect(twoHeads.status == 200 && twoHeads.body.contains("heads: 2") && twoHeads.body.contains("2 heads"))
        let x = post([("spec", "tokens: [my, own, sentence, here]\n"), ("action", "seed-x"), ("size", "6")])
        #expect(x.status == 200 && x.body.contains("d_model: 6") && x.body.contains("X: {seed: 1}"))
        let bad = post([("spec", iAmGood), ("action", "seed-weights"), ("size", "100000")])
        #expect(bad.status == 422 && bad.body.contains("the size must be a whole number from 1 to 256"))
    }

    @Test("form options override the spec's own keys; an option's error names its field")
    func options() {
        let spec = iAmGood + "focus: I\ndecimals: 1\n"
        let page = post([("spec", spec), ("focus", "good"), ("decimals", "3")])
        #expect(page.status == 200 && page.body.contains("Worked for <strong>good</strong>") && page.body.contains("0.000"))
        let wrong = post([("spec", spec), ("decimals", "12")])
        #expect(wrong.status == 422 && wrong.body.contains("Decimals: decimals must be a whole number from 0 to 8, not '12'"))
        let stage = post([("spec", iAmGood), ("show", "masking")])
        #expect(stage.status == 422 && stage.body.contains("Stages to show: show lists 'masking', but this block has no masking stage"))
    }
}

@Suite("the course's examples in the playground")
struct PlaygroundExamplesTests {
    static let lessons: [Lesson] = {
        (try? SiteBuilder(lessons: repositoryRoot.appendingPathComponent("lessons").path, output: "").render().report.lessons) ?? []
    }()

    @Test("every example the playground offers traces as on its lesson page, and files are never offered")
    func everyExample() throws {
        let examples = Playground.examples(from: Self.lessons)
        #expect(examples.count >= 20)
        #expect(!examples.contains { $0.id.hasPrefix("a-trained-model/") })   // its blocks read .safetensors files
        for example in examples {
            let form = try Playground.apply(.load, to: .init(spec: ""), example: example).get()
            let page = PlaygroundPage(form: form, examples: examples, selectedExample: example.id).render()
            #expect(page.status == 200, "\(example.id)")
            // The lesson's own block: same heading title, same focus.
            #expect(!example.text.contains("focus:") && !example.text.contains("show:"))
        }
        let first = try #require(examples.first)
        let page = PlaygroundRoute.respond(to: HTTPRequest(method: "GET", path: "/playground", query: "example=" + Playground.formEncoded(first.id)), examples: examples)
        #expect(page.status == 200 && page.body.contains("<option value=\"\(first.id)\" selected>"))
        #expect(PlaygroundRoute.respond(to: HTTPRequest(method: "GET", path: "/playground", query: "example=nope%2F1"), examples: examples).status == 404)
    }

    @Test("served lesson pages link each example to the playground; built pages do not")
    func links() throws {
        let (pages, report) = try SiteBuilder(lessons: repositoryRoot.appendingPathComponent("lessons").path, output: "").render()
        // (The practise guide talks about the playground; no built page links to it.)
        #expect(!pages.contains { $0.1.contains("href=\"playground") || $0.1.contains("open-playground") || $0.1.contains("playground.css") })
        let examples = Playground.examples(from: report.lessons)
        let lesson = try #require(report.lessons.first)
        let html = try #require(pages.first { $0.0 == lesson.slug + ".html" }?.1)
        let linked = Playground.linkingExamples(in: html, slug: lesson.slug, examples: examples)
        let count = examples.filter { $0.id.hasPrefix(lesson.slug + "/") }.count
        #expect(count > 0)
        #expect(linked.components(separatedBy: "Open in playground").count - 1 == count)
        #expect(linked.contains("href=\"playground?example=\(lesson.slug)%2F1\""))
        #expect(linked.contains("<link rel=\"stylesheet\" href=\"playground.css\">"))
    }
}
