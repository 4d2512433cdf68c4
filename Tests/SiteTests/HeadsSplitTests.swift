import AttentionEngine
import Foundation
import HTML
import Lessons
import Testing
@testable import Site

@Suite("how heads split and join")
struct HeadsSplitTests {
    // 3 heads, d_model 6, d_k 2, d_v 1, W_O 3 × 6, four tokens.
    static let threeHeads = """
        ```attention
        focus: b
        heads: 3
        d_model: 6
        d_k: 2
        d_v: 1
        tokens: [a, b, c, d]
        X: {seed: 1}
        W_Q: {seed: 2}
        W_K: {seed: 3}
        W_V: {seed: 4}
        W_O: {seed: 5}
        ```

        """

    @Test("one coloured box per head for Q_r, K_r, V_r, α_r and Z_r, each the traced shape to scale")
    func lanes() throws {
        let block = try parsedBlock(Self.threeHeads)
        let html = try #require(HeadsSplit(block: block, id: "x").node()).render()
        let x = try #require(elements(html, "rect", class: "cells").first)
        let input = try #require(block.trace.events.first { $0.stage == .input }).values
        let unit = x["width"]! / Double(input.columns)
        #expect(abs(x["height"]! - unit * Double(input.rows)) < 0.01)
        for r in 0..<3 {
            let cells = elements(html, "rect", class: "cells head-\(r)")
            // Q, K, V (W blocks first: W_Q, W_K, W_V), then Q_r, K_r, V_r, α_r, Z_r, then Z_concat's and W_O's blocks.
            #expect(cells.count == 10, "head \(r)")
            let traced = [("Q", Stage.projection), ("K", .projection), ("V", .projection), ("α", .normalization), ("Z", .context)].map { name, stage in
                block.trace.events.first { $0.stage == stage && $0.head == r && $0.name == name }!.values
            }
            for (k, m) in traced.enumerated() {
                #expect(abs(cells[3 + k]["width"]! - unit * Double(m.columns)) < 0.01, "head \(r) box \(k) width")
                #expect(abs(cells[3 + k]["height"]! - unit * Double(m.rows)) < 0.01, "head \(r) box \(k) height")
            }
        }
    }

    @Test("W_Q is cut into h column blocks of d_k, Z_concat into h of d_v, and W_O into h row blocks")
    func blocks() throws {
        let block = try parsedBlock(Self.threeHeads)
        let html = try #require(HeadsSplit(block: block, id: "x").node()).render()
        let x = try #require(elements(html, "rect", class: "cells").first)
        let unit = x["width"]! / Double(block.spec.dModel)
        let firstBlocks = (0..<3).map { elements(html, "rect", class: "cells head-\($0)") }
        for r in 0..<3 {
            #expect(abs(firstBlocks[r][0]["width"]! - unit * Double(block.spec.dK)) < 0.01)       // W_Q,r
            #expect(abs(firstBlocks[r][2]["width"]! - unit * Double(block.spec.dV)) < 0.01)       // W_V,r
            #expect(abs(firstBlocks[r][8]["width"]! - unit * Double(block.spec.dV)) < 0.01)       // Z_concat's block r
            #expect(abs(firstBlocks[r][9]["height"]! - unit * Double(block.spec.dV)) < 0.01)      // W_O's rows of head r
            #expect(abs(firstBlocks[r][9]["width"]! - unit * Double(block.spec.dModel)) < 0.01)
        }
        // Side by side: block r of W_Q starts where block r − 1 ends.
        #expect(abs(firstBlocks[1][0]["x"]! - (firstBlocks[0][0]["x"]! + firstBlocks[0][0]["width"]!)) < 0.01)
        #expect(html.contains("Z_concat (4×3)"))
        #expect(html.contains("O (4×6)"))
    }

    @Test("no picture for one head, or when the block does not show the concatenation")
    func absent() throws {
        #expect(HeadsSplit(block: try parsedBlock(smallBlock), id: "x").node() == nil)
        let hidden = Self.threeHeads.replacingOccurrences(of: "focus: b", with: "focus: b\nshow: [projection]")
        #expect(HeadsSplit(block: try parsedBlock(hidden), id: "x").node() == nil)
    }
}
