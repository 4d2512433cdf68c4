import Diagnostics
import Testing
@testable import Lessons

/// Lines 1–7 of most test lessons: front matter, then a blank line.
let frontMatter = """
    ---
    title: T
    summary: S
    objectives:
      - O
    ---


    """

/// Lines 8–13: a block named `small` over the tokens I, am, good, then a blank line.
let smallBlock = """
    ```attention
    name: small
    tokens: [I, am, good]
    X: [[1, 0], [0, 1], [1, 1]]
    ```


    """

let lessonPath = "lessons/01-x.md"

func parse(_ text: String, fileName: String = "01-x.md") throws(Diagnostic) -> Lesson {
    try LessonParser.parse(text, path: "lessons/\(fileName)", fileName: fileName)
}

/// The full error text (`path:line:column: message`) a lesson fails with, or nil if it parses.
func failure(_ text: String, fileName: String = "01-x.md") -> String? {
    do {
        _ = try parse(text, fileName: fileName)
        return nil
    } catch {
        return error.description
    }
}

/// The TeX of each math span and the text of each reference, in order.
func spanTexts(_ lesson: Lesson) -> [String] {
    lesson.spans.map { span in
        switch span.kind {
        case .math(let tex, let display): display ? "$$\(tex)$$" : "$\(tex)$"
        case .reference(let text): "{{\(text)}}"
        }
    }
}
