import AttentionEngine
import Foundation
import Lessons
import Markdown
import Site
import TestSupport
import Testing

/// The course in lessons/ as a whole: every lesson complete, every reference and link
/// resolving, and no computed number typed by hand.
@Suite("the course")
struct CourseTests {
    static let root = repositoryRoot

    static func build() throws -> (pages: [String: String], lessons: [Lesson]) {
        let builder = SiteBuilder(lessons: root.appendingPathComponent("lessons").path, output: "/nonexistent")
        let (pages, report) = try builder.render()
        return (Dictionary(uniqueKeysWithValues: pages), report.lessons)
    }

    @Test("the whole course builds (every trace reference resolves)")
    func builds() throws {
        let (pages, lessons) = try Self.build()
        #expect(lessons.count >= 5)
        #expect(pages["index.html"] != nil)
    }

    @Test("every lesson has a summary, 2–4 objectives, a worked block with a focus, and 2–5 exercises")
    func complete() throws {
        for lesson in try Self.build().lessons {
            let name = lesson.path
            #expect(!lesson.frontMatter.summary.isEmpty, "\(name): summary")
            #expect((2...4).contains(lesson.frontMatter.objectives.count), "\(name): \(lesson.frontMatter.objectives.count) objectives")
            #expect(lesson.attentionBlocks.contains { $0.focus != nil }, "\(name): no attention block with a focus token")
            #expect((2...5).contains(lesson.exercises.count), "\(name): \(lesson.exercises.count) exercises")
            #expect(!lesson.references.isEmpty, "\(name): prose cites no traced number")
        }
    }

    @Test("every link between pages and to ids on a page resolves")
    func links() throws {
        let pages = try Self.build().pages.filter { $0.key.hasSuffix(".html") }
        func ids(_ html: String) -> Set<String> {
            Set(matches(#"\sid="([^"]+)""#, in: html))
        }
        let idsByPage = pages.mapValues(ids)
        for (name, html) in pages {
            for href in matches(#"\shref="([^"]+)""#, in: html) {
                if href.hasPrefix("http://") || href.hasPrefix("https://") || href.hasPrefix("mailto:") { continue }
                let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let page = parts[0].isEmpty ? name : parts[0]
                if page == "style.css" { continue }
                guard let targetIDs = idsByPage[page] else {
                    Issue.record("\(name): link to missing page \(href)"); continue
                }
                if parts.count == 2 {
                    #expect(targetIDs.contains(parts[1]), "\(name): link to missing id \(href)")
                }
            }
        }
    }

    @Test("no traced number is typed by hand in prose")
    func noTypedTracedNumbers() throws {
        for lesson in try Self.build().lessons {
            for typed in typedTracedNumbers(lesson) {
                Issue.record("\(lesson.path): '\(typed)' typed in prose equals a traced value: cite it with {{ … }}")
            }
        }
    }

    @Test("the typed-number check flags a traced value typed by hand, and only that")
    func typedNumberCheckCanFail() throws {
        let lesson = try #require(try Self.build().lessons.first { $0.slug == "attention-without-weights" })
        // ω[journey, Your] is 0.9544 at 4 decimals (lesson 2 cites it, never types it).
        #expect(typedTracedNumbers(lesson, extraProse: ["the first score is 0.9544 here"]) == ["0.9544"])
        #expect(typedTracedNumbers(lesson, extraProse: ["a made-up 12345.678 is fine"]).isEmpty)
    }
}

/// Decimals typed in a lesson's prose (outside code and math) that equal a number its
/// traces computed and so should have been trace references. Numbers with two or more
/// decimals are compared, rounded to as many decimals as typed, with every cell of the
/// lesson's matrices of at most 2,000 cells (those a page shows in full) and the softmax
/// pieces (max, shifted scores, exponentials, sum) of every row.
func typedTracedNumbers(_ lesson: Lesson, extraProse: [String] = []) -> [String] {
    var traced: [Double] = []
    for block in lesson.attentionBlocks {
        traced.append(Double(block.spec.dK).squareRoot())
        for event in block.trace.events where event.values.storage.count <= 2000 {
            traced += event.values.storage.filter(\.isFinite)
            if event.stage == .normalization {
                for i in 0..<event.values.rows {
                    if case .softmax(let work, _, _) = event.explain(row: i, column: 0) {
                        traced += [work.maximum, work.sum] + work.exponentials + work.shifted
                    }
                }
            }
        }
    }
    var prose = extraProse
    for case .markdown(let block) in lesson.blocks { prose += block.prose }
    for exercise in lesson.exercises {
        for text in [exercise.question, exercise.hint] {
            prose += MarkdownDocument.parse(text, path: lesson.path).blocks.flatMap(\.prose)
        }
    }
    var found: [String] = []
    for run in prose {
        for typed in matches(#"(?<![\w.])(-?\d+\.\d{2,})(?![\w.])"#, in: run) {
            guard let value = Double(typed) else { continue }
            let scale = pow(10, Double(typed.split(separator: ".")[1].count))
            if traced.contains(where: { ($0 * scale).rounded() == (value * scale).rounded() }) { found.append(typed) }
        }
    }
    return found
}

func matches(_ pattern: String, in text: String) -> [String] {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
    let range = NSRange(text.startIndex..., in: text)
    return regex.matches(in: text, range: range).compactMap { match in
        Range(match.range(at: 1), in: text).map { String(text[$0]) }
    }
}
