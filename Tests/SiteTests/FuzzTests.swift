import Foundation
import Testing
@testable import Site

/// Random lessons glued from hostile fragments: a build may fail, but never crash, and a
/// page that builds has well-formed tags and no leftover placeholder. The seed is fixed;
/// `ATTN_FUZZ=5000 swift test --filter FuzzTests` tries more lessons than the usual 300.
@Suite("fuzzing the lesson pipeline")
struct FuzzTests {
    static let fragments = [
        "$", "$$", "{{", "}}", "`", "``", "```", "~~~", "\\", "\n", "\r\n", "\r", " ", "  ", "    ", "\t", "#", "## ", "# ",
        "|", "| a | b |\n|---|---|\n", "- ", "1. ", "> ", "x", "5", "α", "我想吃酸菜鱼", "e\u{301}", "\u{FEFF}", "\n\n", "<script>", "&",
        "*", "_", "[", "]", "(", ")", "!", "\"", "'", "<", ">", "===", "---", "$x$", "$\\alpha_{ij}$", "$\\frac{a}{b}$", "$\\foo$",
        "$$\n\\sum_j x_j\n$$\n", "{{ alpha[am, good] }}", "{{ d_k }}", "{{ alpha[am] }}", "{{ nope }}", "{{ small:alpha@0[#1, #2].max }}",
        "[link](https://example.com)", "![img](a.png)", "<div>", "</div>", "<!--", "-->", "\u{0}",
        "\n```attention\nname: small\ntokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\nfocus: am\n```\n",
        "\n```attention\ntokens: ['<b>', '&']\nX: [[1], [2]]\n```\n",
        "\n```exercise\nquestion: What is $\\alpha$ {{ d_k }}?\nhint: h\nanswer: alpha[am, am]\n```\n",
        "\n```python\n$x$ {{ d_k }}\n```\n",
    ]

    @Test("random lessons never crash a build")
    func fuzz() throws {
        var generator = SplitMix(seed: 20_240_611)
        let scratch = try Scratch()
        defer { scratch.remove() }
        var built = 0
        for _ in 0..<(Int(ProcessInfo.processInfo.environment["ATTN_FUZZ"] ?? "") ?? 300) {
            var body = ""
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                body += Self.fragments.randomElement(using: &generator) ?? ""
            }
            try scratch.writeLessons(["01-x.md": frontMatter + body])
            guard let (pages, _) = try? SiteBuilder(lessons: scratch.lessons, output: scratch.site).render() else { continue }
            built += 1
            for (name, page) in pages where name.hasSuffix(".html") {
                #expect(malformedTags(page) == [], "\(body.debugDescription)")
                #expect(!page.unicodeScalars.contains { $0 == "\u{E000}" || $0 == "\u{E001}" }, "\(body.debugDescription)")
            }
        }
        #expect(built > 30)
    }
}

/// A small seeded generator, so that a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
