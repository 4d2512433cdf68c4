import Foundation
import Lessons
import Testing

/// The exercises are practice (issue 12): on the built pages most numeric answers are
/// nowhere to be read before the student has worked them out, and every lesson asks about
/// its ideas, not only its numbers.
@Suite("exercises are practice")
struct PracticeTests {
    @Test("in every lesson at least two in three numeric exercises have answers the page does not show outside their solution")
    func answersAreNotOnThePage() throws {
        let (pages, lessons) = try CourseTests.build()
        for lesson in lessons {
            let html = try #require(pages[lesson.slug + ".html"], "\(lesson.path): no page")
            let report = shownAnswers(lesson, html: html)
            let numeric = report.count
            let hidden = report.filter { $0.shown.isEmpty }.count
            if numeric > 0 && 3 * hidden < 2 * numeric {
                let shown = report.filter { !$0.shown.isEmpty }
                    .map { "exercise \($0.number) (\($0.shown.joined(separator: ", ")))" }
                Issue.record("\(lesson.path): only \(hidden) of \(numeric) numeric exercises ask for a number the page does not show; shown before the solution: \(shown.joined(separator: "; "))")
            }
        }
    }

    @Test("the page check finds an answer printed in the page text, and not in a solution, a pattern or a longer number")
    func pageCheckCanFail() throws {
        let (pages, lessons) = try CourseTests.build()
        let lesson = try #require(lessons.first { $0.exercises.contains { !$0.answers.isEmpty } })
        let html = try #require(pages[lesson.slug + ".html"])
        let exercise = try #require(lesson.exercises.first { !$0.answers.isEmpty })
        let answer = exercise.answers[0]
        let text = formatted(answer.value, decimals: answer.decimals)
        // Printed in a paragraph: found.
        #expect(contains(visibleText("<p>the answer is \(text).</p>"), text, negative: answer.value < 0))
        // Only inside a solution, an answer key, a reveal or an attribute: not found.
        let hiddenOnly = "<details class=\"solution\"><summary>Worked solution</summary><p>\(text)</p></details>"
            + "<section class=\"answer-key\"><h2>Answer key</h2><ul><li>\(text)</li></ul></section>"
            + "<details class=\"reveal\"><summary>Show</summary><table><tr><td>\(text)</td></tr></table></details>"
            + "<input pattern=\"\(text)\" value=\"\(text)\">"
        #expect(!contains(visibleText(hiddenOnly), text, negative: answer.value < 0))
        // Inside a longer number: not found.
        #expect(!contains(visibleText("<p>9\(text)1</p>"), text, negative: answer.value < 0))
        #expect(!visibleText(html).isEmpty)
    }

    @Test("every lesson asks at least one question about an idea, and one for each of its Explain objectives")
    func conceptualQuestions() throws {
        for lesson in try CourseTests.build().lessons {
            let concepts = lesson.exercises.filter { $0.concept != nil }.count
            let explains = lesson.frontMatter.objectives.filter { $0.hasPrefix("Explain") }.count
            #expect(concepts >= max(1, explains),
                    "\(lesson.path): \(concepts) questions about ideas (model: + mentions:) for \(explains) Explain objectives")
        }
    }
}

/// For each numeric exercise of the lesson: its number and the answers (as displayed) that
/// the page shows outside the solutions, the answer key and the reveals. An answer is looked
/// for at the precision the question asks for and, when that differs, at the precision of
/// its block (what the block's tables print).
func shownAnswers(_ lesson: Lesson, html: String) -> [(number: Int, shown: [String])] {
    let text = visibleText(html)
    var out: [(number: Int, shown: [String])] = []
    for exercise in lesson.exercises where !exercise.answers.isEmpty {
        var shown: [String] = []
        for answer in exercise.answers {
            let places = Set([answer.decimals, lesson.attentionBlocks[answer.block].decimals])
            for decimals in places.sorted() {
                let number = formatted(answer.value, decimals: decimals)
                if contains(text, number, negative: answer.value < 0 && number != formatted(0, decimals: decimals)) {
                    shown.append((answer.label.map { "(\($0)) " } ?? "") + number)
                    break
                }
            }
        }
        out.append((exercise.number, shown))
    }
    return out
}

/// The page as a student reads it before opening anything that gives answers away: without
/// the exercises' worked solutions and model answers (`details.solution`), the print-only
/// answer key (`section.answer-key`), the hidden results of "your turn" examples (any
/// `details` whose class names a reveal), and without tags and their attributes (a box's
/// `pattern` encodes its answer). Tags become spaces, so cells never run together.
func visibleText(_ html: String) -> String {
    var page = html
    page = removingElements(page, tag: "details") { $0.contains("solution") || $0.contains("reveal") }
    page = removingElements(page, tag: "section") { $0.contains("answer-key") }
    page = removingElements(page, tag: "head") { _ in true }
    page = page.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
    for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
        page = page.replacingOccurrences(of: entity, with: character)
    }
    return page
}

/// `html` without every `<tag …>…</tag>` whose opening tag's attributes satisfy `drop`,
/// nested elements of the same tag included.
func removingElements(_ html: String, tag: String, where drop: (String) -> Bool) -> String {
    guard let regex = try? NSRegularExpression(pattern: "<(/?)\(tag)(\\s[^>]*)?>") else { return html }
    let source = html as NSString
    var out = ""
    var cursor = 0, depth = 0
    for match in regex.matches(in: html, range: NSRange(location: 0, length: source.length)) {
        let closing = match.range(at: 1).length > 0
        let attributes = match.range(at: 2).location == NSNotFound ? "" : source.substring(with: match.range(at: 2))
        if depth == 0 {
            if !closing && drop(attributes) {
                out += source.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
                depth = 1
            }
        } else {
            depth += closing ? -1 : 1
            if depth == 0 {
                cursor = match.range.location + match.range.length
                out += " "
            }
        }
    }
    if depth == 0 { out += source.substring(from: cursor) }
    return out
}

/// As the page prints a number: fixed decimals, a minus sign for negatives, no "−0.00".
func formatted(_ x: Double, decimals: Int) -> String {
    var text = String(format: "%.\(decimals)f", x)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
    return text.replacingOccurrences(of: "-", with: "−")
}

/// Whether `text` holds `number` as a whole number: not inside a longer one (no digit or
/// decimal point glued to it), and with its sign — a negative answer is found after a
/// minus (− or -), a positive one only where no minus precedes it.
func contains(_ text: String, _ number: String, negative: Bool) -> Bool {
    let digits = number.hasPrefix("−") ? String(number.dropFirst()) : number
    let escaped = NSRegularExpression.escapedPattern(for: digits)
    let sign = negative ? "[−-]" : "(?<![−-])"
    let pattern = "(?<![\\d.])\(sign)\(escaped)(?!\\d|\\.\\d)"
    return text.range(of: pattern, options: .regularExpression) != nil
}
