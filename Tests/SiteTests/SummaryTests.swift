import Foundation
import Testing
@testable import Site

@Suite("the facts under an example's heading")
struct SummaryTests {
    static func facts(show: String) throws -> String {
        let block = try parsedBlock("```attention\nfocus: it\nscale: false\nshow: \(show)\ntokens: [the, it]\nX: [[1, 0, 0], [0, 1, 0]]\n"
            + "W_Q: [[1, 0], [0, 1], [1, 1]]\nW_K: [[1, 0], [0, 1], [1, 1]]\nW_V: [[1], [0], [1]]\n```\n")
        return TraceView(block: block, id: "x", level: 3).summary().render()
    }

    @Test("scores, weights and context vectors only: no widths named")
    func early() throws {
        let facts = try Self.facts(show: "[similarity, normalization, context]")
        #expect(!facts.contains("<sub>model</sub>"))
        #expect(!facts.contains("<sub>k</sub>"))
        #expect(!facts.contains("<sub>v</sub>"))
        #expect(facts.contains("2 tokens") && facts.contains("no scaling"))
    }

    @Test("with the projections shown: d_model, d_k and d_v, with the spec's values")
    func projections() throws {
        let facts = try Self.facts(show: "[projection, similarity]")
        #expect(facts.contains("<var>d</var><sub>model</sub> = 3"))
        #expect(facts.contains("<var>d</var><sub>k</sub> = 2"))
        #expect(facts.contains("<var>d</var><sub>v</sub> = 1"))
    }
}
