import Diagnostics
import Testing
@testable import Lessons

/// A lesson that must fail, and the exact message it must fail with: the messages are
/// the user interface, so they are compared whole.
struct BadLesson: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let fileName: String
    let message: String

    init(_ name: String, _ text: String, fileName: String = "01-x.md", _ message: String) {
        self.name = name
        self.text = text
        self.fileName = fileName
        self.message = message
    }

    var testDescription: String { name }
}

@Suite("front matter errors")
struct FrontMatterErrorTests {
    static let cases: [BadLesson] = [
        BadLesson("no front matter", "title: T\n\nText.\n", """
            lessons/01-x.md:1:1: a lesson starts with front matter between --- lines:
            ---
            title: …
            summary: …
            objectives:
              - …
            ---
            """),
        BadLesson("front matter after a blank line", "\n---\ntitle: T\n---\n", """
            lessons/01-x.md:1:1: a lesson starts with front matter between --- lines:
            ---
            title: …
            summary: …
            objectives:
              - …
            ---
            """),
        BadLesson("front matter never closed", "---\ntitle: T\nsummary: S\n", "lessons/01-x.md:1:1: the front matter opened with --- on line 1 is never closed: add a line holding only ---"),
        BadLesson("empty front matter", "---\n---\n", "lessons/01-x.md:2:1: the front matter is empty"),
        BadLesson("front matter is a list", "---\n- title\n---\n", "lessons/01-x.md:2:1: the front matter must be a YAML mapping of keys and values"),
        BadLesson("missing title", "---\nsummary: S\nobjectives: [O]\n---\n", "lessons/01-x.md:2:1: the front matter needs title: e.g. title: Query, key and value"),
        BadLesson("empty title", "---\ntitle: \"  \"\nsummary: S\nobjectives: [O]\n---\n", "lessons/01-x.md:2:1: the front matter needs title: e.g. title: Query, key and value"),
        BadLesson("title is a list", "---\ntitle: [a, b]\nsummary: S\nobjectives: [O]\n---\n", "lessons/01-x.md:2:1: title must be a single text in the front matter"),
        BadLesson("title is a mapping", "---\ntitle: {a: 1}\nsummary: S\nobjectives: [O]\n---\n", "lessons/01-x.md:2:8: title must be a text or a list of texts"),
        BadLesson("missing summary", "---\ntitle: T\nobjectives: [O]\n---\n", "lessons/01-x.md:2:1: the front matter needs summary: e.g. summary: One line on what the lesson teaches."),
        BadLesson("missing objectives", "---\ntitle: T\nsummary: S\n---\n", """
            lessons/01-x.md:1:1: the front matter needs objectives, a list of what a student will be able to do:
            objectives:
              - Compute ω for one query
            """),
        BadLesson("objectives not a list", "---\ntitle: T\nsummary: S\nobjectives: Compute ω\n---\n", """
            lessons/01-x.md:4:13: objectives must be a list:
            objectives:
              - Compute ω for one query
              - …
            """),
        BadLesson("objectives an empty list", "---\ntitle: T\nsummary: S\nobjectives: []\n---\n", """
            lessons/01-x.md:4:1: objectives is an empty list: name at least one thing a student will be able to do:
            objectives:
              - Compute ω for one query
            """),
        BadLesson("objectives hold a mapping", "---\ntitle: T\nsummary: S\nobjectives:\n  - a: b\n---\n", "lessons/01-x.md:5:5: objectives must be a list of texts"),
        BadLesson("invalid YAML", "---\ntitle: T\nsummary: [S\nobjectives: [O]\n---\n", "lessons/01-x.md:4:11: the front matter is not valid YAML: did not find expected ',' or ']'"),
        BadLesson("a tab in the YAML", "---\ntitle: T\nsummary: S\nobjectives:\n\t- O\n---\n", "lessons/01-x.md:5:1: the front matter is not valid YAML: found character that cannot start any token"),
        BadLesson("duplicate key", "---\ntitle: T\ntitle: U\nsummary: S\nobjectives: [O]\n---\n", "lessons/01-x.md:3:1: duplicate key 'title' in the front matter: it was already given at line 2"),
        BadLesson("duplicate key further down", "---\ntitle: T\nsummary: S\nobjectives:\n  - O\norder: 2\nsummary: U\n---\n", "lessons/01-x.md:7:1: duplicate key 'summary' in the front matter: it was already given at line 3"),
        BadLesson("order not a number", "---\ntitle: T\nsummary: S\nobjectives: [O]\norder: first\n---\n", "lessons/01-x.md:5:8: order must be a whole number, not 'first'"),
    ]

    @Test("broken front matter fails with its line and column", arguments: cases)
    func brokenFrontMatter(_ bad: BadLesson) {
        #expect(failure(bad.text, fileName: bad.fileName) == bad.message)
    }

    @Test("a minimal lesson parses: title, summary, objectives, body line numbers")
    func minimal() throws {
        let lesson = try parse(frontMatter + "Text.\n")
        #expect(lesson.frontMatter.title == "T")
        #expect(lesson.frontMatter.summary == "S")
        #expect(lesson.frontMatter.objectives == ["O"])
        #expect(lesson.number == 1 && lesson.slug == "x" && lesson.order == 1)
        guard case .markdown(let block) = try #require(lesson.blocks.first) else { Issue.record("not markdown"); return }
        #expect(block.location.description == "lessons/01-x.md:8:1")
    }

    @Test("unused front matter keys are kept for a warning, with their place")
    func unusedKeys() throws {
        let lesson = try parse("---\ntitle: T\nsummary: S\nobjectives: [O]\nauthor: me\norder: 7\n---\n")
        #expect(lesson.frontMatter.unusedKeys.map(\.key) == ["author"])
        #expect(lesson.frontMatter.unusedKeys.map(\.location.description) == ["lessons/01-x.md:5:1"])
        #expect(lesson.order == 7)
    }
}

@Suite("file name errors")
struct FileNameTests {
    @Test("a file name that is not NN-slug.md is an error at line 1",
          arguments: ["intro.md", "1-Intro.md", "01-.md", "01_intro.md", "01-héllo.md", "01-a b.md", "-01-x.md", "01.md", "xx-intro.md"])
    func badName(_ name: String) {
        #expect(failure(frontMatter, fileName: name) == "lessons/\(name):1:1: lesson file names look like NN-slug.md (e.g. 03-why-scale.md: a number, a dash, lowercase letters, digits and dashes), not '\(name)'")
    }

    @Test("good names give the number and the slug",
          arguments: [("01-intro.md", 1, "intro"), ("003-why-scale.md", 3, "why-scale"), ("10-a-2-b.md", 10, "a-2-b")])
    func goodName(_ name: String, _ number: Int, _ slug: String) throws {
        let lesson = try parse(frontMatter, fileName: name)
        #expect(lesson.number == number)
        #expect(lesson.slug == slug)
    }
}

@Suite("attention block errors point at the lesson's line")
struct AttentionBlockErrorTests {
    static func lesson(_ block: String) -> String { frontMatter + "```attention\n" + block + "```\n" }

    // The block's first line is line 9 of the lesson.
    static let cases: [BadLesson] = [
        BadLesson("YAML error inside the block", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]\nfocus: am\n"), "lessons/01-x.md:11:1: this is not valid YAML: did not find expected ',' or ']'"),
        BadLesson("tab inside the block", lesson("tokens: [I, am]\nX:\n\t- [1, 0]\n"), "lessons/01-x.md:11:1: this is not valid YAML: found character that cannot start any token"),
        BadLesson("a block option given twice", lesson("focus: I\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\nfocus: am\n"), "lessons/01-x.md:12:1: duplicate key 'focus': it was already given at line 9"),
        BadLesson("unknown block option", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\nfocs: am\n"), "lessons/01-x.md:11:1: unknown key 'focs': did you mean 'focus'? allowed keys are tokens, X, d_model, heads, d_k, d_v, W_Q, W_K, W_V, b_Q, b_K, b_V, W_O, b_O, scale, mask, source, positional, kv_heads, decode, tiles, backward, dropout, name, title, focus, show, decimals, notation, reveal"),
        BadLesson("focus that is not a token", lesson("tokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\nfocus: goood\n"), "lessons/01-x.md:11:8: focus 'goood' is not one of the tokens: did you mean 'good'? the tokens are I, am, good (or #0 … #2 by position)"),
        BadLesson("focus far from every token", lesson("tokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\nfocus: elephant\n"), "lessons/01-x.md:11:8: focus 'elephant' is not one of the tokens: the tokens are I, am, good (or #0 … #2 by position)"),
        BadLesson("focus a list", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\nfocus: [I]\n"), "lessons/01-x.md:11:8: focus must be a single value"),
        BadLesson("unknown stage in show", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\nshow: [similarity, softmax]\n"), "lessons/01-x.md:11:7: unknown stage 'softmax' in show: the stages are input, positional, projection, rotary, similarity, scaling, masking, normalization, tiling, decoding, dropout, context, concat, output, backward, or all"),
        BadLesson("show a stage the block lacks", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\nshow: [masking]\n"), "lessons/01-x.md:11:7: show lists 'masking', but this block has no masking stage (its stages are input, similarity, scaling, normalization, context)"),
        BadLesson("show nothing", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\nshow: []\n"), "lessons/01-x.md:11:7: show needs at least one stage, e.g. show: [similarity, normalization]"),
        BadLesson("decimals out of range", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\ndecimals: 9\n"), "lessons/01-x.md:11:11: decimals must be a whole number from 0 to 8, not '9'"),
        BadLesson("unknown notation", lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\nnotation: columns\n"), "lessons/01-x.md:11:11: notation must be row (Q = X·W_Q) or column (q⁽ⁱ⁾ = U_q x⁽ⁱ⁾), not 'columns'"),
        BadLesson("bad block name", lesson("name: 1st\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\n"), "lessons/01-x.md:9:7: a block name starts with a letter and holds letters, digits, _ and -, not '1st'"),
        BadLesson("empty block name", lesson("name: ''\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\n"), "lessons/01-x.md:9:7: a block name starts with a letter and holds letters, digits, _ and -, not ''"),
        BadLesson("bad spec: shapes", lesson("tokens: [I, am]\nX: [[1, 0, 1], [0, 1, 1]]\nW_Q: [[1, 0], [0, 1]]\nW_K: [[1, 0], [0, 1]]\nW_V: [[1, 0], [0, 1]]\n"), "lessons/01-x.md:11:1: W_Q has 2 rows but X has 3 columns: W_Q needs one row per column of X (d_model = 3)"),
        BadLesson("bad spec: a row too short", lesson("tokens: [I, am]\nX: [[1, 0], [0]]\n"), "lessons/01-x.md:10:13: X row 1 has 1 number but row 0 has 2: every row needs the same length"),
        BadLesson("bad spec: missing X", lesson("tokens: [I, am]\n"), "lessons/01-x.md:9:1: missing key 'X': give one row of numbers per token, or X: {seed: 1} with d_model"),
        BadLesson("empty block", lesson(""), "lessons/01-x.md:9:1: the spec is empty: give at least tokens and X (see docs/spec.md)"),
        BadLesson("two blocks with one name", lesson("name: a\ntokens: [I]\nX: [[1]]\n") + "\n```attention\nname: a\ntokens: [I]\nX: [[1]]\n```\n", "lessons/01-x.md:14:1: two attention blocks are named 'a': give each a different name"),
        BadLesson("a block never closed", frontMatter + "```attention\ntokens: [I]\nX: [[1]]\n", "lessons/01-x.md:8:1: this attention block is never closed: end it with a line holding only the fence that opened it (```)"),
        BadLesson("a block not closed before the next block", frontMatter + "```attention\ntokens: [I]\nX: [[1]]\n\nThe weight of I is {{ alpha[I, I] }}.\n\n```exercise\nquestion: Q\nhint: H\nanswer: alpha[I, I]\n```\n",
                  "lessons/01-x.md:8:1: the attention block opened at line 8 is probably not closed: add a line with ``` after its spec\n  note: line 12 looks like prose, not YAML: The weight of I is {{ alpha[I, I] }}.\n  note: read as part of the block, the lesson fails with: lessons/01-x.md:14:1: this is not valid YAML: could not find expected ':'"),
        BadLesson("a block not closed before a code block", frontMatter + "```attention\ntokens: [I]\nX: [[1]]\n\n## Next\n\nSee the code below.\n\n```\nlet x = 1\n```\n",
                  "lessons/01-x.md:8:1: the attention block opened at line 8 is probably not closed: add a line with ``` after its spec\n  note: line 14 looks like prose, not YAML: See the code below.\n  note: read as part of the block, the lesson fails with: lessons/01-x.md:16:1: this is not valid YAML: could not find expected ':'"),
        BadLesson("a block not closed, prose right after a heading", frontMatter + "```attention\ntokens: [I]\nX: [[1]]\n## Next\nSee the code below.\n```\nlet x = 1\n```\n",
                  "lessons/01-x.md:8:1: the attention block opened at line 8 is probably not closed: add a line with ``` after its spec\n  note: line 12 looks like prose, not YAML: See the code below.\n  note: read as part of the block, the lesson fails with: lessons/01-x.md:13:1: this is not valid YAML: could not find expected ':'"),
        BadLesson("a block not closed, the next fence's opening line read as its spec", frontMatter + "```attention\ntokens: [I]\nX: [[1]]\n\n```exercise\nquestion: Q\nhint: H\nanswer: alpha[I, I]\n```\n",
                  "lessons/01-x.md:8:1: the attention block opened at line 8 is probably not closed: add a line with ``` after its spec\n  note: line 12 opens another fenced block: ```exercise\n  note: read as part of the block, the lesson fails with: lessons/01-x.md:12:1: this is not valid YAML: found character that cannot start any token"),
        BadLesson("an exercise not closed before the next block", frontMatter + smallBlock + "```exercise\nquestion: Q\nhint: H\nanswer: alpha[I, I]\n\nMore text here.\n\n```attention\ntokens: [I]\nX: [[1]]\n```\n",
                  "lessons/01-x.md:14:1: the exercise block opened at line 14 is probably not closed: add a line with ``` after its fields\n  note: line 19 looks like prose, not YAML: More text here.\n  note: read as part of the block, the lesson fails with: lessons/01-x.md:21:1: an exercise is not valid YAML: could not find expected ':'"),
        BadLesson("a block inside a list", frontMatter + "- a step:\n\n  ```attention\n  tokens: [I]\n  X: [[1]]\n  ```\n", "lessons/01-x.md:8:1: this attention block is inside a list or block quote, where it would show as plain code: start its fence at the beginning of a line, after a blank line"),
    ]

    @Test("bad blocks fail at the lesson's line and column", arguments: cases)
    func badBlock(_ bad: BadLesson) {
        #expect(failure(bad.text, fileName: bad.fileName) == bad.message)
    }

    @Test("block options are read: name, title, focus, show, decimals, notation, reveal")
    func options() throws {
        let lesson = try parse(Self.lesson("name: b\ntitle: \"<T>\"\nfocus: am\nshow: [normalization, similarity]\ndecimals: 3\nnotation: column\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\n"))
        let block = try #require(lesson.attentionBlocks.first)
        #expect(block.name == "b")
        #expect(block.title == "<T>")
        #expect(block.focus == 1)
        #expect(block.stages == [.similarity, .normalization])
        #expect(block.decimals == 3)
        #expect(block.notation == .column)
        #expect(block.location.description == "lessons/01-x.md:8:1")
        #expect(block.ordinal == 1)
        #expect(block.displayName == "b")
    }

    @Test("reveal: on-demand is read; always is the default; anything else is an error at its line")
    func reveal() throws {
        let open = try parse(Self.lesson("tokens: [I, am]\nX: [[1, 0], [0, 1]]\n"))
        #expect(open.attentionBlocks.first?.reveal == .always)
        let closed = try parse(Self.lesson("reveal: on-demand\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\n"))
        #expect(closed.attentionBlocks.first?.reveal == .onDemand)
        #expect(failure(Self.lesson("reveal: later\ntokens: [I, am]\nX: [[1, 0], [0, 1]]\n"))
                == "lessons/01-x.md:9:9: reveal must be always (every result shown) or on-demand (results closed until the student opens them), not 'later'")
    }

    @Test("show: all keeps every stage of the trace; a block of one token works")
    func showAllOneToken() throws {
        let lesson = try parse(Self.lesson("show: all\ntokens: ['<script>']\nX: [[1, 2]]\nfocus: '<script>'\n"))
        let block = try #require(lesson.attentionBlocks.first)
        #expect(block.stages == [.input, .similarity, .scaling, .normalization, .context])
        #expect(block.focus == 0)
        #expect(block.displayName == "block 1")
    }
}

/// Lines 8–16: a block named `p` with projections over I, am, then a blank line.
let projectedBlock = """
    ```attention
    name: p
    tokens: [I, am]
    X: [[1, 0], [0, 1]]
    W_Q: [[1, 0], [0, 1]]
    W_K: [[1, 0], [0, 1]]
    W_V: [[1, 0], [0, 1]]
    ```


    """

@Suite("trace reference errors")
struct ReferenceErrorTests {
    /// The reference sits on line 14, from column 3.
    static func lesson(_ reference: String) -> String { frontMatter + smallBlock + "a \(reference) b\n" }

    static let cases: [BadLesson] = [
        BadLesson("unknown column label", lesson("{{ alpha[am, nope] }}"), "lessons/01-x.md:14:3: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)"),
        BadLesson("misspelt row label", lesson("{{ alpha[amm, good] }}"), "lessons/01-x.md:14:3: no row 'amm' in {{ alpha[amm, good] }}: did you mean 'am'? the rows of α are I, am, good (or #0 … #2)"),
        BadLesson("index out of range", lesson("{{ alpha[#3, #0] }}"), "lessons/01-x.md:14:3: no row '#3' in {{ alpha[#3, #0] }}: the rows of α are I, am, good (or #0 … #2)"),
        BadLesson("unknown matrix", lesson("{{ alpah[am, am] }}"), "lessons/01-x.md:14:3: block 'small' has no alpah in {{ alpah[am, am] }}: did you mean 'alpha'? it has X, ω (omega, scores), ω_scaled (omega_scaled, scaled), α (alpha, weights), Z (z, context) and the sizes d_k, d_v, d_model, heads, n, sqrt_d_k, kv_heads, cache_per_token"),
        BadLesson("unknown matrix, far from every name", lesson("{{ attention[am, am] }}"), "lessons/01-x.md:14:3: block 'small' has no attention in {{ attention[am, am] }}: it has X, ω (omega, scores), ω_scaled (omega_scaled, scaled), α (alpha, weights), Z (z, context) and the sizes d_k, d_v, d_model, heads, n, sqrt_d_k, kv_heads, cache_per_token"),
        BadLesson("a size misspelt", lesson("{{ dk }}"), "lessons/01-x.md:14:3: block 'small' has no dk in {{ dk }}: did you mean 'd_k'? it has X, ω (omega, scores), ω_scaled (omega_scaled, scaled), α (alpha, weights), Z (z, context) and the sizes d_k, d_v, d_model, heads, n, sqrt_d_k, kv_heads, cache_per_token"),
        BadLesson("a capital letter", lesson("{{ Alpha[am, am] }}"), "lessons/01-x.md:14:3: block 'small' has no Alpha in {{ Alpha[am, am] }}: did you mean 'alpha'? it has X, ω (omega, scores), ω_scaled (omega_scaled, scaled), α (alpha, weights), Z (z, context) and the sizes d_k, d_v, d_model, heads, n, sqrt_d_k, kv_heads, cache_per_token"),
        BadLesson("a weight without its underscore", frontMatter + projectedBlock + "a {{ WQ[0, 0] }} b\n", "lessons/01-x.md:17:3: block 'p' has no WQ in {{ WQ[0, 0] }}: did you mean 'W_Q'? it has X, Q, K, V, ω (omega, scores), ω_scaled (omega_scaled, scaled), α (alpha, weights), Z (z, context), the weights W_Q, W_K, W_V and the sizes d_k, d_v, d_model, heads, n, sqrt_d_k, kv_heads, cache_per_token"),
        BadLesson("a weight in lowercase", lesson("{{ W_q[0, 0] }}"), "lessons/01-x.md:14:3: unknown weight W_q in {{ W_q[0, 0] }}: did you mean 'W_Q'? the weights are W_Q, W_K, W_V and W_O"),
        BadLesson("unknown block", lesson("{{ big:alpha[am, am] }}"), "lessons/01-x.md:14:3: no attention block is named 'big': the named blocks are small"),
        BadLesson("head that does not exist", lesson("{{ alpha@2[am, am] }}"), "lessons/01-x.md:14:3: head 2 does not exist in {{ alpha@2[am, am] }}: block 'small' has 1 head, numbered from 0"),
        BadLesson("@ without a number", lesson("{{ alpha@x[am, am] }}"), "lessons/01-x.md:14:3: '@' must be followed by a head number in {{ alpha@x[am, am] }}"),
        BadLesson("unknown part", lesson("{{ alpha[am, am].maxx }}"), "lessons/01-x.md:14:3: unknown part '.maxx' in {{ alpha[am, am].maxx }}: a softmax cell has .max, .shifted, .exp, .sum, .score; a softmax backward cell (dω_scaled) has .rowsum"),
        BadLesson("part of a whole row", lesson("{{ alpha[am].max }}"), "lessons/01-x.md:14:3: a part such as .max needs a cell: {{ α[am, …].max }}"),
        BadLesson("part of a cell that is no softmax", lesson("{{ omega[am, am].exp }}"), "lessons/01-x.md:14:3: .exp explains a softmax cell: use it with α, e.g. {{ alpha[am, am].exp }}"),
        BadLesson("a whole matrix", lesson("{{ alpha }}"), "lessons/01-x.md:14:3: {{ alpha }} is a whole 3×3 matrix: name a cell, e.g. {{ α[I, I] }}"),
        BadLesson("a size with brackets", lesson("{{ d_k[0] }}"), "lessons/01-x.md:14:3: d_k is a number: write {{ d_k }} without brackets"),
        BadLesson("a weight the block lacks", lesson("{{ W_Q[0, 0] }}"), "lessons/01-x.md:14:3: block 'small' has no W_Q"),
        BadLesson("an unknown weight", lesson("{{ W_Z[0, 0] }}"), "lessons/01-x.md:14:3: unknown weight W_Z in {{ W_Z[0, 0] }}: the weights are W_Q, W_K, W_V and W_O"),
        BadLesson("three labels", lesson("{{ alpha[am, am, am] }}"), "lessons/01-x.md:14:3: give one or two labels in brackets, [row] or [row, column], in {{ alpha[am, am, am] }}"),
        BadLesson("empty label", lesson("{{ alpha[, am] }}"), "lessons/01-x.md:14:3: give one or two labels in brackets, [row] or [row, column], in {{ alpha[, am] }}"),
        BadLesson("unclosed bracket", lesson("{{ alpha[am, good }}"), "lessons/01-x.md:14:3: expected ',' or ']' in {{ alpha[am, good }}: write a trace reference like {{ alpha[am, good] }}, {{ block:Z@1[am] }} or {{ d_k }}"),
        BadLesson("unclosed quote", lesson("{{ alpha[\"am, good] }}"), "lessons/01-x.md:14:3: unclosed quote in {{ alpha[\"am, good] }}"),
        BadLesson("trailing text", lesson("{{ d_k please }}"), "lessons/01-x.md:14:3: unexpected 'please' in {{ d_k please }}: write a trace reference like {{ alpha[am, good] }}, {{ block:Z@1[am] }} or {{ d_k }}"),
        BadLesson("empty reference", lesson("{{ }}"), "lessons/01-x.md:14:3: empty trace reference {{  }}: write a trace reference like {{ alpha[am, good] }}, {{ block:Z@1[am] }} or {{ d_k }}"),
        BadLesson("never closed", lesson("{{ alpha[am, am]"), "lessons/01-x.md:14:3: '{{' opens a trace reference that is never closed with '}}': close it, or write \\{{ for two braces"),
        BadLesson("no block before it", frontMatter + "See {{ alpha[am, am] }}.\n\n" + smallBlock, "lessons/01-x.md:8:5: this refers to a trace, but no attention block comes before it: move it below a block, or name the block (block:name)"),
        BadLesson("no block at all, by name", frontMatter + "See {{ small:d_k }}.\n", "lessons/01-x.md:8:5: no attention block is named 'small': name a block with name: small"),
        BadLesson("a reference in a heading", frontMatter + smallBlock + "## Row {{ alpha[nope] }}\n", "lessons/01-x.md:14:8: no row 'nope' in {{ alpha[nope] }}: the rows of α are I, am, good (or #0 … #2)"),
        BadLesson("a reference in a table", frontMatter + smallBlock + "| a | b |\n|---|---|\n| x | {{ alpha[I, nope] }} |\n", "lessons/01-x.md:16:7: no column 'nope' in {{ alpha[I, nope] }}: the columns of α are I, am, good (or #0 … #2)"),
        BadLesson("a reference after a wrapped one keeps its line", frontMatter + smallBlock + "{{ alpha[am,\n good] }} and\n{{ alpha[am,\n nope] }}\n", "lessons/01-x.md:16:1: no column 'nope' in {{ alpha[am,\n nope] }}: the columns of α are I, am, good (or #0 … #2)"),
    ]

    @Test("bad references fail at their {{", arguments: cases)
    func badReference(_ bad: BadLesson) {
        #expect(failure(bad.text, fileName: bad.fileName) == bad.message)
    }
}

@Suite("exercise errors")
struct ExerciseErrorTests {
    /// The exercise's first line is line 15 of the lesson.
    static func lesson(_ exercise: String) -> String { frontMatter + smallBlock + "```exercise\n" + exercise + "```\n" }

    static let cases: [BadLesson] = [
        BadLesson("no answer", lesson("question: Q?\nhint: H\n"), "lessons/01-x.md:15:1: an exercise needs answer: (one number, e.g. answer: alpha[am, good]), parts: (several numbers, each - ask: … answer: …) or model: (a question about an idea, with mentions:)"),
        BadLesson("no hint", lesson("question: Q?\nanswer: alpha[am, am]\n"), "lessons/01-x.md:15:1: an exercise needs hint: e.g. hint: Divide exp(score − max) by the row's sum."),
        BadLesson("no question", lesson("hint: H\nanswer: alpha[am, am]\n"), "lessons/01-x.md:15:1: an exercise needs question: e.g. question: What is α[am, good]?"),
        BadLesson("empty exercise", lesson(""), "lessons/01-x.md:15:1: an exercise is empty"),
        BadLesson("exercise not a mapping", lesson("- question\n"), "lessons/01-x.md:15:1: an exercise must be a YAML mapping of keys and values"),
        BadLesson("duplicate key", lesson("question: Q?\nhint: H\nanswer: alpha[am, am]\nhint: H2\n"), "lessons/01-x.md:18:1: duplicate key 'hint' in an exercise: it was already given at line 16"),
        BadLesson("unknown key", lesson("question: Q?\nhint: H\nanwser: alpha[am, am]\n"), "lessons/01-x.md:17:1: unknown key 'anwser' in an exercise: did you mean 'answer'? allowed keys are question, hint, answer, decimals, tolerance, block, parts, model, mentions"),
        BadLesson("invalid YAML", lesson("question: [Q?\nhint: H\nanswer: alpha[am, am]\n"), "lessons/01-x.md:16:5: an exercise is not valid YAML: did not find expected ',' or ']'"),
        BadLesson("bad answer reference", lesson("question: Q?\nhint: H\nanswer: alpha[am, nope]\n"), "lessons/01-x.md:17:9: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)"),
        BadLesson("answer not a reference", lesson("question: Q?\nhint: H\nanswer: 0.42\n"), "lessons/01-x.md:17:9: {{ 0.42 }} is a number, not a trace reference: cite a traced value such as {{ alpha[am, good] }}, so that no number is typed by hand"),
        BadLesson("answer is a row", lesson("question: Q?\nhint: H\nanswer: alpha[am]\n"), "lessons/01-x.md:17:9: an exercise answer is one number: name a cell, e.g. answer: α[am, …]"),
        BadLesson("answer is a list", lesson("question: Q?\nhint: H\nanswer: [1, 2]\n"), "lessons/01-x.md:17:1: answer must be a single text in an exercise"),
        BadLesson("answer in an unknown block", lesson("question: Q?\nhint: H\nanswer: alpha[am, am]\nblock: big\n"), "lessons/01-x.md:17:9: no attention block is named 'big': the named blocks are small"),
        BadLesson("negative tolerance", lesson("question: Q?\nhint: H\nanswer: alpha[am, am]\ntolerance: -1\n"), "lessons/01-x.md:18:12: tolerance must be a number of at least 0, not '-1'"),
        BadLesson("tolerance not a number", lesson("question: Q?\nhint: H\nanswer: alpha[am, am]\ntolerance: .nan\n"), "lessons/01-x.md:18:12: tolerance must be a number of at least 0, not '.nan'"),
        BadLesson("exercise before any block", frontMatter + "```exercise\nquestion: Q?\nhint: H\nanswer: alpha[am, am]\n```\n\n" + smallBlock, "lessons/01-x.md:11:9: this refers to a trace, but no attention block comes before it: move it below a block, or name the block (block:name)"),
        BadLesson("a bad reference in the question", lesson("question: What is {{ alpha[am, nope] }}?\nhint: H\nanswer: alpha[am, am]\n"), "lessons/01-x.md:15:19: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)"),
        BadLesson("an exercise never closed", frontMatter + smallBlock + "```exercise\nquestion: Q?\n", "lessons/01-x.md:14:1: this exercise block is never closed: end it with a line holding only the fence that opened it (```)"),
    ]

    @Test("bad exercises fail at the lesson's line", arguments: cases)
    func badExercise(_ bad: BadLesson) {
        #expect(failure(bad.text, fileName: bad.fileName) == bad.message)
    }

    @Test("an exercise's answer is computed from its block; by default what honest hand work at the block's decimals gives is accepted")
    func answer() throws {
        let lesson = try parse(Self.lesson("question: What is $\\alpha$ for {{ alpha[am, am] }}?\nhint: Use {{ d_k }}.\nanswer: alpha[am, am]\n"))
        let exercise = try #require(lesson.exercises.first)
        let reference = try #require(lesson.references.values.first { $0.reference.text == "alpha[am, am]" })
        guard case .number(let weight) = reference.value else { Issue.record("not a number"); return }
        let answer = try #require(exercise.answers.first)
        #expect(exercise.answers.count == 1 && answer.label == nil && !exercise.isConceptual)
        #expect(answer.value == weight)
        #expect(answer.tolerance == nil && answer.decimals == 2)
        // The exact weight and its rounding to 2 decimals are in; a hundredth off is out.
        #expect(answer.accepted.contains(weight) && answer.accepted.contains((weight * 100).rounded() / 100))
        #expect(!answer.accepted.contains(weight + 0.011) && !answer.accepted.contains(weight - 0.011))
        #expect(answer.block == 0)
        #expect(exercise.number == 1)
        #expect(exercise.location.description == "lessons/01-x.md:14:1")
        #expect(spanTexts(lesson) == ["$\\alpha$", "{{alpha[am, am]}}", "{{d_k}}"])
        // The question's spans point into the lesson: line 15, after "question: ".
        #expect(lesson.spans.map(\.location.description) == ["lessons/01-x.md:15:20", "lessons/01-x.md:15:32", "lessons/01-x.md:16:11"])
    }

    @Test("block: names the answer's block; an explicit tolerance is kept")
    func namedBlock() throws {
        let lesson = try parse(frontMatter + "```exercise\nquestion: Q\nhint: H\nanswer: d_k\nblock: small\ntolerance: 0\n```\n\n" + smallBlock)
        let answer = try #require(lesson.exercises.first?.answers.first)
        #expect(answer.value == 2)
        #expect(answer.tolerance == 0)
        #expect(answer.accepted.contains(2) && !answer.accepted.contains(2.001))
    }

    @Test("parts a, b, c: each step its own answer, with its own decimals")
    func parts() throws {
        let lesson = try parse(Self.lesson("""
            question: Work out α[am, am].
            hint: H
            decimals: 3
            parts:
              - ask: the largest score of the row of *am*
                answer: alpha[am, am].max
              - ask: exp of its shifted score, {{ alpha[am, am].shifted }}
                answer: alpha[am, am].exp
                decimals: 4
              - ask: the weight
                answer: alpha[am, am]

            """))
        let exercise = try #require(lesson.exercises.first)
        #expect(exercise.answers.map(\.label) == ["a", "b", "c"])
        #expect(exercise.answers.map(\.decimals) == [3, 4, 3])
        #expect(exercise.answers.map { $0.key(exercise: 1) } == ["1a", "1b", "1c"])
        #expect(exercise.answers[1].prompt?.contains("\u{E000}") == true)   // the reference in the prompt is a span
        #expect(exercise.answers[1].cell?.part == .exp)
    }

    @Test("a question about an idea: a model answer and what a good answer mentions")
    func concept() throws {
        let lesson = try parse(Self.lesson("question: Why?\nhint: H\nmodel: Because $q \\cdot k$ grows with length.\nmentions: [length, direction]\n"))
        let exercise = try #require(lesson.exercises.first)
        #expect(exercise.isConceptual && exercise.answers.isEmpty)
        #expect(exercise.concept?.mentions == ["length", "direction"])
    }

    @Test("the kinds of exercise are exclusive, and a concept needs mentions", arguments: [
        ("question: Q\nhint: H\n", "lessons/01-x.md:15:1: an exercise needs answer: (one number, e.g. answer: alpha[am, good]), parts: (several numbers, each - ask: … answer: …) or model: (a question about an idea, with mentions:)"),
        ("question: Q\nhint: H\nanswer: d_k\nmodel: M\nmentions: [x]\n", "lessons/01-x.md:15:1: an exercise has one of answer:, parts: or model:, not several"),
        ("question: Q\nhint: H\nmodel: M\n", "lessons/01-x.md:17:8: a question about an idea lists what a good answer must mention: mentions: [first point, second point]"),
        ("question: Q\nhint: H\nanswer: d_k\nmentions: [x]\n", "lessons/01-x.md:18:1: mentions: goes with model: (a question about an idea)"),
        ("question: Q\nhint: H\nparts:\n  - ask: A\n    answr: d_k\n", "lessons/01-x.md:19:12: unknown key 'answr' in part a: did you mean 'answer'? a part holds ask, answer, decimals, tolerance"),
        ("question: Q\nhint: H\nparts:\n  - answer: d_k\n", "lessons/01-x.md:18:5: part a needs ask: what this step asks for, e.g. ask: the row's largest score"),
        ("question: Q\nhint: H\nanswer: d_k\ndecimals: 9\n", "lessons/01-x.md:18:11: decimals must be a whole number from 0 to 8, not '9'"),
    ])
    func kinds(_ body: String, _ message: String) {
        #expect(failure(Self.lesson(body)) == message)
    }
}

@Suite("math delimiters")
struct MathErrorTests {
    static let cases: [BadLesson] = [
        BadLesson("display block never closed", frontMatter + "Text.\n\n$$\nx = 1\n", "lessons/01-x.md:10:1: display math opened with $$ is never closed: add a line holding only $$"),
        BadLesson("inline display never closed", frontMatter + "Text $$x = 1 and more.\n", "lessons/01-x.md:8:6: '$$' opens display math that is never closed in this paragraph: close it with '$$' (write \\$ for a dollar sign)"),
        BadLesson("reserved placeholder character", frontMatter + "Text \u{E000}0\u{E001}.\n", "lessons/01-x.md:8:6: the private-use character U+E000 is reserved by attn for its own use: delete it"),
        BadLesson("reserved character in code", frontMatter + "```\n\u{E001}\n```\n", "lessons/01-x.md:9:1: the private-use character U+E001 is reserved by attn for its own use: delete it"),
    ]

    @Test("unclosed math fails at its opening $$", arguments: cases)
    func unclosed(_ bad: BadLesson) {
        #expect(failure(bad.text, fileName: bad.fileName) == bad.message)
    }
}

@Suite("YAML pitfalls in exercises")
struct ExerciseYAMLTests {
    @Test("an unquoted #i label becomes a YAML comment: the message says so")
    func hashComment() {
        let lesson = ExerciseErrorTests.lesson("question: Q?\nhint: H\nanswer: alpha[#1, #2]\n")
        #expect(failure(lesson) == """
            lessons/01-x.md:17:9: expected ',' or ']' in {{ alpha[#1, }}: write a trace reference like {{ alpha[am, good] }}, {{ block:Z@1[am] }} or {{ d_k }}
              note: in YAML ' #' starts a comment, so the rest of the line was dropped: quote the answer, e.g. answer: "alpha[#0, #1]"
            """)
    }

    @Test("quoted, it works")
    func quoted() throws {
        let lesson = try parse(ExerciseErrorTests.lesson("question: Q?\nhint: H\nanswer: 'alpha[#1, #2]'\n"))
        #expect(lesson.exercises.first?.answers.first?.reference.column == "#2")
    }
}

@Suite("repeated tokens and masked answers")
struct RepeatedTokenTests {
    static let block = frontMatter + "```attention\ntokens: [the, cat, saw, the, dog]\nX: [[1, 0], [0, 1], [1, 1], [1, 0], [0, 2]]\nmask: causal\n"

    @Test("a repeated label is ambiguous in a reference: pick it by number")
    func ambiguousReference() throws {
        #expect(failure(Self.block + "```\n\n{{ alpha[dog, the] }}\n") == "lessons/01-x.md:14:1: 'the' is columns #0, #3 of α in {{ alpha[dog, the] }}: the label is repeated, so pick one by number, e.g. #3")
        let lesson = try parse(Self.block + "```\n\n{{ alpha[dog, #3] }} {{ alpha[cat, cat] }}\n")
        #expect(lesson.references.count == 2)
    }

    @Test("a repeated focus token is ambiguous; '#i' picks one")
    func ambiguousFocus() throws {
        #expect(failure(Self.block + "focus: the\n```\n") == "lessons/01-x.md:12:8: focus 'the' is tokens #0, #3: pick one by number, e.g. focus: '#3' (quoted: # starts a YAML comment)")
        let lesson = try parse(Self.block + "focus: '#3'\n```\n")
        #expect(lesson.attentionBlocks.first?.focus == 3)
    }

    @Test("an exercise answer may not be a masked −∞")
    func infiniteAnswer() {
        #expect(failure(Self.block + "```\n\n```exercise\nquestion: Q\nhint: H\nanswer: omega_masked[cat, dog]\n```\n") == "lessons/01-x.md:17:9: an exercise answer must be a finite number, and omega_masked[cat, dog] is −∞ (a masked score): ask for a weight or an unmasked score")
    }
}

@Suite("spans in multi-line exercise fields point at their own line")
struct MultiLineFieldTests {
    /// The exercise's first line is line 15; the reference is `{{ alpha[am, nope] }}`.
    @Test("literal, folded, plain and quoted scalars", arguments: [
        ("question: |\n  What is\n  this {{ alpha[am, nope] }}?\nhint: H\n", "17:8"),
        ("question: >\n    What is\n    this {{ alpha[am, nope] }}?\nhint: H\n", "17:10"),
        ("question: What is\n  this {{ alpha[am, nope] }}?\nhint: H\n", "16:8"),
        ("question: \"What's \\\"this\\\"\n  now {{ alpha[am, nope] }}?\"\nhint: H\n", "16:7"),
        ("question: 'It''s {{ alpha[am, nope] }}'\nhint: H\n", "15:18"),
        ("question: Q\nhint: |-\n  First line.\n\n  Then {{ alpha[am, nope] }}.\n", "19:8"),
    ])
    func multiLine(_ fields: String, _ place: String) {
        let lesson = ExerciseErrorTests.lesson(fields + "answer: alpha[am, am]\n")
        #expect(failure(lesson) == "lessons/01-x.md:\(place): no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)")
    }
}
