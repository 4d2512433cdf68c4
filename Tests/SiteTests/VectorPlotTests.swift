import AttentionEngine
import Foundation
import HTML
import Lessons
import Testing
@testable import Site

/// The block of a one-lesson test file, parsed and traced.
func parsedBlock(_ block: String) throws -> AttentionBlock {
    let lesson = try LessonParser.parse(frontMatter + block, path: "lessons/01-t.md", fileName: "01-t.md")
    return lesson.attentionBlocks[0]
}

/// The numeric attributes of every `<tag …>` whose class attribute is `cls`, in order.
func elements(_ html: String, _ tag: String, class cls: String) -> [[String: Double]] {
    let pattern = try! NSRegularExpression(pattern: "<\(tag) class=\"\(cls)\"([^>]*)>")
    let attribute = try! NSRegularExpression(pattern: "([a-z0-9-]+)=\"(-?[0-9.]+)\"")
    return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
        let attributes = String(html[Range(match.range(at: 1), in: html)!])
        var values: [String: Double] = [:]
        for a in attribute.matches(in: attributes, range: NSRange(attributes.startIndex..., in: attributes)) {
            values[String(attributes[Range(a.range(at: 1), in: attributes)!])] = Double(attributes[Range(a.range(at: 2), in: attributes)!])
        }
        return values
    }
}

@Suite("vectors as arrows")
struct VectorPlotTests {
    // q_a = (1, 2); keys a (3, 1), b (−2, 1), c (1.5, −0.5): scores 5, 0, 0.5.
    static let twoD = """
        ```attention
        focus: a
        tokens: [a, b, c]
        X: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        W_Q: [[1, 2], [0, 1], [1, 1]]
        W_K: [[3, 1], [-2, 1], [1.5, -0.5]]
        W_V: [[1, 0], [0, 1], [1, 1]]
        ```

        """

    @Test("each arrow ends at its traced vector, scaled alike, from one origin")
    func arrows() throws {
        let block = try parsedBlock(Self.twoD)
        let html = try #require(VectorPlot(block: block, id: "x").node()).render()
        let omega = try #require(block.trace.events.first { $0.stage == .similarity })
        let (q, k) = (omega.operands[0].matrix, omega.operands[1].matrix)
        let query = elements(html, "line", class: "vector query"), keys = elements(html, "line", class: "vector key")
        #expect(query.count == 1)
        #expect(keys.count == k.rows)
        let origin = (x: query[0]["x1"]!, y: query[0]["y1"]!)
        // The scale, from the query's arrow; every key's arrow must agree with it.
        let scale = (query[0]["x2"]! - origin.x) / q[0, 0]
        #expect(scale > 10)
        #expect(abs((origin.y - query[0]["y2"]!) - scale * q[0, 1]) < 0.02)
        for (j, arrow) in keys.enumerated() {
            #expect(arrow["x1"] == origin.x && arrow["y1"] == origin.y)
            #expect(abs((arrow["x2"]! - origin.x) - scale * k[j, 0]) < 0.02, "key \(j) x")
            #expect(abs((origin.y - arrow["y2"]!) - scale * k[j, 1]) < 0.02, "key \(j) y")
        }
    }

    @Test("the projection of the chosen key lands at ω / |q| along the query, square to the key's drop")
    func projection() throws {
        let block = try parsedBlock(Self.twoD)
        let html = try #require(VectorPlot(block: block, id: "x").node()).render()
        let omega = try #require(block.trace.events.first { $0.stage == .similarity })
        let q = omega.operands[0].matrix
        let query = elements(html, "line", class: "vector query")[0]
        let band = try #require(elements(html, "line", class: "projection").first)
        let drop = try #require(elements(html, "line", class: "drop").first)
        let scale = (query["x2"]! - query["x1"]!) / q[0, 0]
        // Key a scores highest and is at an angle to q_a.
        let score = omega.values[0, 0], length = (q[0, 0] * q[0, 0] + q[0, 1] * q[0, 1]).squareRoot()
        let foot = (x: q[0, 0] * score / length / length, y: q[0, 1] * score / length / length)
        #expect(abs(band["x2"]! - (query["x1"]! + scale * foot.x)) < 0.02)
        #expect(abs(band["y2"]! - (query["y1"]! - scale * foot.y)) < 0.02)
        let (dx, dy) = (drop["x2"]! - drop["x1"]!, drop["y2"]! - drop["y1"]!)
        #expect(abs(dx * q[0, 0] - dy * q[0, 1]) < 0.05)  // perpendicular (y runs down on screen)
        #expect(html.contains("class=\"angle\""))
    }

    @Test("under the picture, each score is |q| |k| cos θ with factors that multiply to the traced score")
    func caption() throws {
        let block = try parsedBlock(Self.twoD)
        let html = try #require(VectorPlot(block: block, id: "x").node()).render()
        let omega = try #require(block.trace.events.first { $0.stage == .similarity })
        let items = html.components(separatedBy: "<li>").dropFirst()
        #expect(items.count == omega.values.columns)
        let product = try NSRegularExpression(pattern: "= (-?[0-9.]+) × (-?[0-9.]+) × (-?[0-9.]+) = <strong>(-?[0-9.]+)</strong>")
        for (j, item) in items.enumerated() {
            let m = try #require(product.firstMatch(in: item, range: NSRange(item.startIndex..., in: item)), "key \(j)")
            let numbers = (1...4).map { Double(item[Range(m.range(at: $0), in: item)!])! }
            #expect(abs(numbers[3] - omega.values[0, j]) < 0.005, "the score shown is the trace's")
            #expect(abs(numbers[0] * numbers[1] * numbers[2] - numbers[3]) <= 0.005 + 1e-9, "the factors re-multiply: \(numbers)")
        }
    }

    @Test("no picture for vectors of three components, several heads, or no focus")
    func absent() throws {
        #expect(VectorPlot(block: try parsedBlock(smallBlock.replacingOccurrences(of: "name: small", with: "focus: am")), id: "x").node() != nil)
        #expect(VectorPlot(block: try parsedBlock(smallBlock), id: "x").node() == nil)
        let three = "```attention\nfocus: am\ntokens: [I, am, good]\nX: [[1, 0, 1], [0, 1, 0], [1, 1, 1]]\n```\n"
        #expect(VectorPlot(block: try parsedBlock(three), id: "x").node() == nil)
        let heads = "```attention\nfocus: am\nheads: 2\ntokens: [I, am, good]\nX: [[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 1, 1]]\nW_Q: {seed: 1}\nW_K: {seed: 2}\nW_V: {seed: 3}\n```\n"
        #expect(VectorPlot(block: try parsedBlock(heads), id: "x").node() == nil)
    }

    @Test("SVG coordinates use an ASCII minus, which SVG can read")
    func coordinates() {
        #expect(svgNumber(-43.2) == "-43.20")
        #expect(svgNumber(-3) == "-3")
        #expect(svgNumber(12.5) == "12.50")
    }

    @Test("repeated tokens are told apart by their position")
    func repeated() throws {
        let block = try parsedBlock("```attention\nfocus: '#1'\ntokens: [la, la, do]\nX: [[1, 0], [0, 1], [1, 1]]\n```\n")
        let html = try #require(VectorPlot(block: block, id: "x").node()).render()
        #expect(html.contains(">la#0</tspan>") && html.contains(">la#1</tspan>") && html.contains(">do#2</tspan>"))
        #expect(html.contains("ω[la#1, la#0]"))
    }

    @Test("tokens with the same vector share one label; zero vectors are named at the origin")
    func labels() throws {
        let block = try parsedBlock("```attention\nfocus: it\nscale: false\ntokens: [the, robot, it]\nX: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\n"
            + "W_Q: [[0, 0], [0, 1], [2, 0]]\nW_K: [[0, 0], [2, 0], [0, 0]]\nW_V: [[1, 0], [0, 1], [1, 1]]\n```\n")
        let html = try #require(VectorPlot(block: block, id: "x").node()).render()
        #expect(html.components(separatedBy: "<circle class=\"origin\"").count == 2)
        #expect(html.contains(">robot</tspan>"))
        // q_it = k_robot = (2, 0): one label text holding both.
        let shared = try NSRegularExpression(pattern: "<text[^>]*>[^\n]*?>it</tspan>[^\n]*? = [^\n]*?>robot</tspan>")
        #expect(shared.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)) != nil)
    }
}
