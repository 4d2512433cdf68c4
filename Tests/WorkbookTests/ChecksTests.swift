import AttentionEngine
import Foundation
import Lessons
import TestSupport
import Testing
@testable import WorkbookChecks
import WorkbookSolutions

@Suite("the checks are honest")
struct ChecksTests {
    static let numbers = WorkbookExercise.all.map(\.number)

    @Test("the reference solutions pass every check", arguments: numbers)
    func referencePasses(number: Int) throws {
        let exercise = try #require(WorkbookExercise.numbered(number))
        let outcome = exercise.check(.reference)
        #expect(outcome.passed, "\(outcome.failure?.message ?? "")")
        if case .passed(let cases) = outcome { #expect(cases >= 3, "each exercise is checked on several cases") }
    }

    @Test("a wrong implementation is rejected, and its mistake named", arguments: wrongImplementations)
    func wrongIsDiagnosed(wrong: WrongImplementation) throws {
        let exercise = try #require(WorkbookExercise.numbered(wrong.exercise))
        let failure = try #require(exercise.check(wrong.make()).failure, "\(wrong) passed")
        #expect(failure.diagnosis?.kind == wrong.diagnosis, "\(failure.message)")
        #expect(failure.message.contains(wrong.says), "\(failure.message)")
        #expect(failure.message.contains("expected") || failure.message.contains("needs"), "\(failure.message)")
    }

    @Test("every diagnosis the checks know is produced by some wrong implementation")
    func everyDiagnosisIsTested() {
        let produced = Set(wrongImplementations.map(\.diagnosis)).union([.allZeros, .returnedInput])
        let workbookKinds = Set(Diagnosis.Kind.allCases).subtracting(Diagnosis.worksheetOnly)
        #expect(workbookKinds.subtracting(produced).isEmpty, "untested: \(workbookKinds.subtracting(produced))")
    }

    @Test("a stub returning zeros of the right shape is rejected as a placeholder", arguments: numbers)
    func zerosRejected(number: Int) throws {
        let exercise = try #require(WorkbookExercise.numbered(number))
        let failure = try #require(exercise.check(Implementations.reference.replacing(number, from: zeroStubs)).failure)
        #expect(failure.diagnosis?.kind == .allZeros, "\(failure.message)")
    }

    @Test("a stub returning its input is rejected", arguments: numbers)
    func inputRejected(number: Int) throws {
        let exercise = try #require(WorkbookExercise.numbered(number))
        let failure = try #require(exercise.check(Implementations.reference.replacing(number, from: inputStubs)).failure)
        // Returning the scores unscaled is exactly the "not scaled" mistake.
        #expect([.returnedInput, .noScaling].contains(failure.diagnosis?.kind), "\(failure.message)")
    }

    @Test("the large cases really overflow a softmax without max subtraction")
    func largeCasesAreLarge() {
        for c in [Cases.around800, Cases.around1800, Cases.aroundMillion, Cases.large(seed: 703, tokens: 4),
                  Cases.large(seed: 803, tokens: 5, mask: .causal)] {
            #expect(c.largestScore > 709.78, "\(c.title): \(c.largestScore)")
        }
    }

    @Test("the backward checks' lesson cases are lesson 12's own blocks: the same gradients, every one of them")
    func backwardCasesAreTheLesson() throws {
        let path = repositoryRoot.appendingPathComponent("lessons/12-how-attention-learns.md").path
        let lesson = try LessonParser.parse(try String(contentsOfFile: path, encoding: .utf8), path: path, fileName: "12-how-attention-learns.md")
        for (name, c) in [("step", BackwardChecks.step), ("masked", BackwardChecks.padding), ("practice", BackwardChecks.practice)] {
            let block = try #require(lesson.attentionBlocks.first { $0.name == name }, "lesson 12 has no block \(name)")
            let lessonGradients = block.trace.events(.backward)
            #expect(lessonGradients.count >= 9 && lessonGradients.count == c.trace.events(.backward).count, "\(name)")
            for event in lessonGradients {
                #expect(c.event(event.name).values == event.values, "\(name): \(event.name)")
            }
            #expect(c.title.hasSuffix("(lesson 12)"))
        }
    }

    @Test("the random cases are in no lesson and say so; the lesson cases name their lesson")
    func caseTitles() {
        #expect(Cases.random(seed: 1, tokens: 3, dModel: 2, dK: 2, dV: 2).title.hasSuffix("(seed 1; in no lesson)"))
        for c in [Cases.journey, Cases.iAmGood, Cases.love, Cases.robot, Cases.twoHeads, Cases.dog] {
            #expect(c.title.contains("(lesson 0"), "\(c.title)")
        }
    }
}

@Suite("failure messages teach")
struct MessageTests {
    @Test("a wrong softmax: the case, the cell with its labels, the rows, the count and the mistake")
    func softmaxOverColumns() throws {
        var wrong = Implementations.reference
        wrong.softmaxRows = { s in
            let t = (0..<s[0].count).map { j in s.map { $0[j] } }
            let soft = t.map { row in let m = row.max()!; let e = row.map { exp($0 - m) }; let sum = e.reduce(0, +); return e.map { $0 / sum } }
            return (0..<s.count).map { i in soft.map { $0[i] } }
        }
        let failure = try #require(WorkbookExercise.numbered(5)!.check(wrong).failure)
        #expect(failure.message == """
            failed on case 1 of 7: “Your journey starts with one step” (lesson 02)
              α[Your, journey] (row 0, column 1): expected 0.200581, got 0.138548
                 input row Your: [0.9995, 0.9544, 0.9422, 0.4753, 0.4576, 0.631]
              expected row Your: [0.209835, 0.200581, 0.198149, 0.124228, 0.122049, 0.145158]
                  your row Your: [0.209835, 0.138548, 0.139008, 0.143527, 0.152611, 0.138471]
              30 of 36 numbers are off.
            likely mistake — softmax over the wrong axis: each of your COLUMNS adds up to 1, but each ROW must. Row i is where query i looks, a distribution over the keys: take the max, the exponentials and their sum along row i (lesson 05-where-to-look).
            """)
    }

    @Test("a wrong shape says what each row and column stands for")
    func shapes() throws {
        var wrong = Implementations.reference
        wrong.scoreMatrix = { Q, K in Q.map { q in K.dropLast().map { k in zip(q, k).reduce(0) { $0 + $1.0 * $1.1 } } } }
        let failure = try #require(WorkbookExercise.numbered(2)!.check(wrong).failure)
        #expect(failure.problem == ["row 0 (Your) of your result has 5 numbers, but it needs 6: one per key token (Your, journey, starts, with, one, step)"])

        wrong = .reference
        wrong.crossAttention = { X, _, _, _, W_V in [[Double]](repeating: [Double](repeating: 1, count: W_V[0].count), count: X.count + 1) }
        let cross = try #require(WorkbookExercise.numbered(11)!.check(wrong).failure)
        #expect(cross.problem == ["your result has 5 rows, but it needs 4: one per target token (row of X) (I, saw, the, dog)"])
    }

    @Test("a vector answer counts numbers and names the query")
    func vectors() throws {
        var wrong = Implementations.reference
        wrong.scores = { q, K in K.map { k in zip(q, k).reduce(0) { $0 + $1.0 * $1.1 } + 1 } }
        let failure = try #require(WorkbookExercise.numbered(1)!.check(wrong).failure)
        #expect(failure.problem.first == "query Your = [0.43, 0.15, 0.89]:")
        #expect(failure.problem[1] == "ω[Your, Your] (number 0): expected 0.9995, got 1.9995")
    }

    @Test("the large-score message explains the overflow and points at the lesson")
    func overflow() throws {
        var wrong = Implementations.reference
        wrong.softmaxRows = { s in s.map { row in let e = row.map { exp($0) }; let t = e.reduce(0, +); return e.map { $0 / t } } }
        let failure = try #require(WorkbookExercise.numbered(5)!.check(wrong).failure)
        #expect(failure.caseTitle == "scores around 800 (lesson 05)")
        #expect(failure.problem.first == "α[a, a] (row 0, column 0): expected 0.705385, got NaN")
        #expect(failure.diagnosis?.text.contains("“The stable softmax”") == true)
    }
}
