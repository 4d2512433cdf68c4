import AttentionEngine
import Foundation
import Lessons
import Testing
@testable import Site

@Suite("the glossary's symbols in formulas and tables")
struct NotationTests {
    static func block(_ extra: String, heads: Int = 2) throws -> AttentionBlock {
        try parsedBlock("```attention\nfocus: b\nheads: \(heads)\n\(extra)tokens: [a, b, c]\nX: [[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]]\n"
            + "W_Q: {seed: 2}\nW_K: {seed: 3}\nW_V: {seed: 4}\n```\n")
    }

    @Test("each head's formulas carry its index: Q_r = X W_{Q,r}, ω_r = Q_r K_rᵀ, Z_r = α_r V_r")
    func perHead() throws {
        let block = try Self.block("")
        for r in 0..<2 {
            func tex(_ stage: Stage, _ name: String) -> [String] {
                let event = block.trace.events.first { $0.stage == stage && $0.head == r && $0.name == name }!
                return Formulas.tex(event, .row, spec: block.spec)
            }
            #expect(tex(.projection, "K").first == "K_{\(r)} = X W_{K,\(r)}")
            #expect(tex(.similarity, "ω").first == "\\omega_{\(r)} = Q_{\(r)} K_{\(r)}^\\top")
            #expect(tex(.context, "Z").first == "Z_{\(r)} = \\alpha_{\(r)} V_{\(r)}")
        }
        // One head: no index.
        let one = try Self.block("", heads: 1)
        let q = one.trace.events.first { $0.stage == .projection && $0.name == "Q" }!
        #expect(Formulas.tex(q, .row, spec: one.spec).first == "Q = X W_{Q}")
    }

    @Test("the softmax is written with s_ij, the scores it receives, named after the stage before it")
    func softmaxScores() throws {
        for (extra, expected) in [("", "\\omega_{\\text{scaled},ij}"), ("scale: false\n", "\\omega_{ij}"), ("mask: causal\n", "\\omega_{\\text{masked},ij}")] {
            let block = try Self.block(extra, heads: 1)
            let alpha = block.trace.events.first { $0.stage == .normalization }!
            let tex = Formulas.tex(alpha, .row, spec: block.spec)
            #expect(tex.contains("s_{ij} = \(expected)"), "\(extra): \(tex)")
            #expect(tex.first?.contains("\\exp(s_{ij} - m_i)") == true)
        }
    }

    @Test("per-head tables are captioned with the head: W_{Q,1}, Q_1, α_1; X keeps its name")
    func captions() throws {
        let pages = try render(["01-t.md": frontMatter + "```attention\nfocus: b\nheads: 2\ntokens: [a, b, c]\nX: [[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]]\n"
            + "W_Q: {seed: 2}\nW_K: {seed: 3}\nW_V: {seed: 4}\n```\n"])
        let page = try #require(pages.first { $0.key != "index.html" && $0.value.contains("class=\"trace\"") }?.value)
        #expect(page.contains("<caption><span class=\"name\">W<sub class=\"word\">Q,1</sub></span>"))
        #expect(page.contains("<caption><span class=\"name\">Q<sub>1</sub></span>"))
        #expect(page.contains("<caption><span class=\"name\">α<sub>0</sub></span>"))
        #expect(page.contains("<caption><span class=\"name\">X</span>"))
        #expect(!page.contains("<caption><span class=\"name\">W<sub>Q</sub></span>"))
    }
}
