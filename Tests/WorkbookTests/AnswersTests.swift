import Foundation
import Lessons
import TestSupport
import Testing

/// `attn check --answers FILE`: numeric answers to a lesson's exercises.
@Suite("attn check --answers")
struct AnswersTests {
    /// A small lesson: ω[b, b] = 4 (whole numbers all the way: exactly 4 is right),
    /// α[a, b] = 1/(e + 1) ≈ 0.268941 (tolerance 0.001), and a multi-part exercise on
    /// α[a, b] at 4 decimals, whose accepted range is what honest rounding gives.
    static let lesson = """
        ---
        title: Two tokens
        summary: A fixture for grading answers.
        objectives:
          - Grade answers
        ---

        Two tokens, no weights.

        ```attention
        tokens: [a, b]
        X: [[1, 0], [0, 2]]
        scale: false
        decimals: 4
        ```

        ```exercise
        question: What is the score $\\omega$ of *b* with itself?
        hint: Square the length of the vector of *b*.
        answer: omega[b, b]
        ```

        ```exercise
        question: What weight does *a* give to *b*?
        hint: The scores of *a* are 1 and 0, so it is exp(0) / (exp(1) + exp(0)).
        answer: alpha[a, b]
        tolerance: 0.001
        ```

        ```exercise
        question: Work out the weight *a* gives to *b* step by step.
        hint: Shift by the row's maximum, exponentiate, divide by the sum.
        parts:
          - ask: exp of the shifted score of *b*
            answer: alpha[a, b].exp
          - ask: the weight
            answer: alpha[a, b]
        ```

        """

    /// A lessons folder holding the fixture, and an answers file; returns (lessons, answers path).
    func setUp(_ answers: String) throws -> (String, String) {
        let lessons = try temporaryFolder(["01-two-tokens.md": Self.lesson])
        let folder = try temporaryFolder(["answers.yaml": answers])
        return (lessons, folder + "/answers.yaml")
    }

    func grade(_ answers: String) throws -> (Run, String) {
        let (lessons, file) = try setUp(answers)
        return (try attn("check", "--answers", file, "--lessons", lessons), file)
    }

    @Test("right answers are accepted within the tolerance, and the exact value is shown")
    func right() throws {
        // exp(−1) = 0.367879…, 0.3679 at 4 decimals; by hand 0.3679 / (1 + 0.3679) = 0.268953…, and
        // exactly 0.268941…: either rounds to 0.2689 or 0.2690.
        let (run, _) = try grade("lesson: 01-two-tokens\nanswers:\n  1: 4\n  2: 0.269\n  3a: 0.3679\n  3B: 0.2690\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("""
            — “Two tokens”: 4 of 4 right

              ✓ 1  What is the score ω of “b” with itself?
                   4 is right (the trace gives 4; accepted only as exactly 4)
              ✓ 2  What weight does “a” give to “b”?
                   0.269 is right (the trace gives 0.268941; accepted from 0.26794 to 0.26995)
              ✓ 3a  Work out the weight “a” gives to “b” step by step. (a) exp of the shifted score of “b”
                   0.3679 is right (the trace gives 0.367879; accepted from 0.36787 to 0.36790)
              ✓ 3b  Work out the weight “a” gives to “b” step by step. (b) the weight
                   0.269 is right (the trace gives 0.268941; accepted from 0.26890 to 0.26900)

            """), "\(run.stdout)")
        // Just outside the honest range is wrong.
        let (outside, _) = try grade("lesson: 01-two-tokens\nanswers:\n  3b: 0.2691\n")
        #expect(outside.status == 1 && outside.stdout.contains("✗ 3b"))
    }

    @Test("wrong answers get the hint, blank ones are not answered; wrong fails the run")
    func wrong() throws {
        let (run, _) = try grade("lesson: 01-two-tokens\nanswers:\n  1: 2\n  2:\n")
        #expect(run.status == 1)
        #expect(run.stdout.hasSuffix("""
            — “Two tokens”: 0 of 4 right, 1 wrong, 3 not answered

              ✗ 1  What is the score ω of “b” with itself?
                   2 is not in the accepted range, only as exactly 4 (4 decimals asked).
                   hint: Square the length of the vector of “b”.
              · 2  What weight does “a” give to “b”?
                   no answer yet
              · 3a  Work out the weight “a” gives to “b” step by step. (a) exp of the shifted score of “b”
                   no answer yet
              · 3b  Work out the weight “a” gives to “b” step by step. (b) the weight
                   no answer yet

            """), "\(run.stdout)")
        // Just outside the tolerance is wrong.
        let (outside, _) = try grade("lesson: 01-two-tokens\nanswers:\n  2: 0.2701\n")
        #expect(outside.status == 1 && outside.stdout.contains("✗ 2"))
        // A sheet with no answers yet is fine.
        let (empty, _) = try grade("lesson: 01-two-tokens\nanswers:\n")
        #expect(empty.status == 0 && empty.stdout.contains("0 of 4 right, 4 not answered"))
        // The lesson can be named by its number or file name, too.
        let (byNumber, _) = try grade("lesson: 1\nanswers:\n  1: 4\n")
        #expect(byNumber.status == 0 && byNumber.stdout.contains("1 of 4 right, 3 not answered"))
    }

    @Test("a bad answers file is reported at its line and column", arguments: [
        ("lesson: 01-two-tokens\nanswers:\n  1: 4\n  2: 0.2x\n", "4:6: '0.2x' is not a number: write the answer to exercise 2 as a decimal number, e.g. 0.25 or -1.5e-3"),
        ("lesson: 01-two-tokens\nanswer:\n  1: 4\n", "2:1: unknown key 'answer': did you mean 'answers'? the keys are lesson and answers"),
        ("lesson: 01-two-tokens\nanswers:\n  7: 4\n", "3:3: lesson 01-two-tokens has no exercise 7: its exercises are 1 to 3"),
        ("lesson: 01-two-tokens\nanswers:\n  one: 4\n", "3:3: 'one' is not an exercise number: number the answers 1, 2, 3, … as the lesson numbers its exercises (4a, 4b, … for the parts of exercise 4)"),
        ("lesson: 01-two-tokns\nanswers:\n  1: 4\n", "1:9: there is no lesson '01-two-tokns' in LESSONS/: did you mean '01-two-tokens'? the lessons are 01-two-tokens"),
        ("lesson: 01-two-tokens\nanswers: [4, 0.27]\n", "2:10: answers maps exercise numbers to your answers, one per line under answers:, e.g.\nanswers:\n  1: 1.0865\n  2: 0.17"),
        ("lesson: 01-two-tokens\nanswers:\n  1: 4\n  1: 5\n", "4:3: duplicate key '1': it was already given at line 3; give each answer once"),
        ("lesson: 01-two-tokens\nanswers: {1: 4\n", "3:1: this is not valid YAML: did not find expected ',' or '}'"),
        ("answers:\n  1: 4\n", "1:1: the answers file needs lesson: the lesson's file name without .md, e.g. lesson: 02-attention-without-weights"),
        ("lesson: 01-two-tokens\nanswers:\n  3: 0.27\n", "3:3: exercise 3 of lesson 01-two-tokens has parts a, b: write 3a: …"),
        ("lesson: 01-two-tokens\nanswers:\n  1b: 4\n", "3:3: exercise 1 of lesson 01-two-tokens has one answer: write 1: …"),
        ("lesson: 01-two-tokens\nanswers:\n  1: .nan\n", "3:6: '.nan' is not a number: write the answer to exercise 1 as a decimal number, e.g. 0.25 or -1.5e-3"),
    ])
    func malformed(answers: String, message: String) throws {
        let (lessons, file) = try setUp(answers)
        let run = try attn("check", "--answers", file, "--lessons", lessons)
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr == "\(file):\(message.replacingOccurrences(of: "LESSONS", with: lessons))\n")
    }

    @Test("every exercise of the course grades as right when answered with its traced value")
    func course() throws {
        let folder = repositoryRoot.appendingPathComponent("lessons")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
        var graded = 0
        for name in files {
            let path = folder.appendingPathComponent(name).path
            let lesson = try LessonParser.parse(try String(contentsOfFile: path, encoding: .utf8), path: path, fileName: name)
            guard !lesson.exercises.isEmpty else { continue }
            let answers = lesson.exercises.flatMap { exercise in exercise.answers.map { "  \($0.key(exercise: exercise.number)): \($0.value)" } }
                .joined(separator: "\n")
            let count = lesson.exercises.reduce(0) { $0 + $1.answers.count }
            let sheet = try temporaryFolder(["answers.yaml": "lesson: \(name.dropLast(3))\nanswers:\n\(answers)\n"]) + "/answers.yaml"
            let run = try attn("check", "--answers", sheet)
            #expect(run.status == 0, "\(name): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("\(count) of \(count) right"), "\(run.stdout)")
            graded += 1
        }
        #expect(graded >= 5)
    }
}
