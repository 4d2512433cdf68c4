// attn-workbook: runs the checks of ONE workbook exercise against Sources/Workbook, in this
// process, so that `attn check` can run each exercise in a process of its own with a time
// limit: a student's code that traps or loops ends this process, not the whole run.
//
//   attn-workbook list       the exercises as JSON (number, function, title, lesson, file, hint)
//   attn-workbook check N    exercise N; the report follows a line "@@attn-workbook@@ STATUS"
//
// Exit status: 0 passed, 1 failed, 2 usage, 3 not started (from notStarted() in the stub).
// A crash or hang is seen by the caller as a signal or a time-out.
import Foundation
import Workbook
import WorkbookChecks
import WorkbookSolutions

/// The student's functions. A compile error here means a stub's signature changed: each line
/// says what it must be (`attn check --build` says so too).
let workbook = Implementations(
    scores: Workbook.scores(query:keys:),  // Sources/Workbook/01-Scores.swift must keep `public func scores(query: [Double], keys: [[Double]]) -> [Double]`
    scoreMatrix: Workbook.scoreMatrix(queries:keys:),  // Sources/Workbook/02-ScoreMatrix.swift must keep `public func scoreMatrix(queries: [[Double]], keys: [[Double]]) -> [[Double]]`
    project: Workbook.project(_:_:),  // Sources/Workbook/03-Project.swift must keep `public func project(_ X: [[Double]], _ W: [[Double]]) -> [[Double]]`
    scaled: Workbook.scaled(_:dK:),  // Sources/Workbook/04-Scaled.swift must keep `public func scaled(_ scores: [[Double]], dK: Int) -> [[Double]]`
    softmaxRows: Workbook.softmaxRows(_:),  // Sources/Workbook/05-SoftmaxRows.swift must keep `public func softmaxRows(_ scores: [[Double]]) -> [[Double]]`
    contextVector: Workbook.contextVector(weights:values:),  // Sources/Workbook/06-ContextVector.swift must keep `public func contextVector(weights: [Double], values: [[Double]]) -> [Double]`
    attention: Workbook.attention(_:W_Q:W_K:W_V:),  // Sources/Workbook/07-Attention.swift must keep `public func attention(_ X: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]]`
    causalWeights: Workbook.causalWeights(_:),  // Sources/Workbook/08-CausalWeights.swift must keep `public func causalWeights(_ scores: [[Double]]) -> [[Double]]`
    splitHeads: Workbook.splitHeads(_:heads:),  // Sources/Workbook/09-SplitHeads.swift must keep `public func splitHeads(_ matrix: [[Double]], heads: Int) -> [[[Double]]]`
    concatenateHeads: Workbook.concatenateHeads(_:),  // Sources/Workbook/10-ConcatenateHeads.swift must keep `public func concatenateHeads(_ heads: [[[Double]]]) -> [[Double]]`
    crossAttention: Workbook.crossAttention(_:source:W_Q:W_K:W_V:),  // Sources/Workbook/11-CrossAttention.swift must keep `public func crossAttention(_ X: [[Double]], source: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]]`
    onlineSoftmaxStep: Workbook.onlineSoftmaxStep(m:l:o:scores:values:),  // Sources/Workbook/15-OnlineSoftmaxStep.swift must keep `public func onlineSoftmaxStep(m: Double, l: Double, o: [Double], scores: [Double], values: [[Double]]) -> (m: Double, l: Double, o: [Double])`
    decodeStep: Workbook.decodeStep(query:key:value:keys:values:))  // Sources/Workbook/16-DecodeStep.swift must keep `public func decodeStep(query: [Double], key: [Double], value: [Double], keys: [[Double]], values: [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double])`

let marker = "@@attn-workbook@@"
let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

func report(_ status: String, _ message: String = "", exitCode: Int32) -> Never {
    print("\n\(marker) \(status)")
    if !message.isEmpty { print(message) }
    exit(exitCode)
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: attn-workbook list | attn-workbook check N (1…\(WorkbookExercise.all.count))\n".utf8))
    exit(2)
}

/// The exercise list `attn check` reads.
struct Catalog: Encodable {
    struct Entry: Encodable {
        let number: Int, function: String, title: String, lesson: String, file: String, hint: String
    }
    let workbook: String
    let solutions: String
    let exercises: [Entry]
}

// MARK: Test-only sabotage
//
// ATTN_WORKBOOK_SELFTEST="solved:1,2;crash:3;divide:4;loop:5;waiting:6" replaces those
// exercises' functions: with the reference solution, or with one that traps on an index out
// of range, divides an integer by zero, never returns, or reaches a not-started stub. Tests/WorkbookTests uses it to prove that
// `attn check` survives crashes and hangs and reports passed exercises; it is not for students.
func selfTest(_ implementations: Implementations) -> Implementations {
    guard let setting = ProcessInfo.processInfo.environment["ATTN_WORKBOOK_SELFTEST"] else { return implementations }
    var result = implementations
    for clause in setting.split(separator: ";") {
        let parts = clause.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let numbers = parts[1].split(separator: ",").compactMap { Int($0) }
        let replacement: Implementations
        switch parts[0] {
        case "solved": replacement = .reference
        case "crash": replacement = .every { let empty: [Double] = []; _ = empty[CommandLine.arguments.count]; exit(99) }
        case "divide": replacement = .every { let zero = CommandLine.arguments.count - CommandLine.arguments.count; _ = 1 / zero; exit(99) }
        case "loop": replacement = .every { var spins = 0; while true { spins &+= 1; if spins == 0 { print("") } } }
        case "waiting": replacement = .every { notStarted("softmaxRows(_:)") }   // as if it called a stub
        default: continue
        }
        for n in numbers { result = result.replacing(n, from: replacement) }
    }
    return result
}

// MARK: Main

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "list":
    let catalog = Catalog(
        workbook: sources.appendingPathComponent("Workbook").path,
        solutions: sources.appendingPathComponent("WorkbookSolutions").path,
        exercises: WorkbookExercise.all.map {
            .init(number: $0.number, function: $0.function, title: $0.title, lesson: $0.lesson, file: $0.file, hint: $0.hint)
        })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(catalog), as: UTF8.self))
case "check":
    guard arguments.count == 2, let n = Int(arguments[1]), let exercise = WorkbookExercise.numbered(n) else { usage() }
    switch exercise.check(selfTest(workbook)) {
    case .passed(let cases):
        report("passed \(cases)", exitCode: 0)
    case .failed(let failure):
        report("failed", failure.message, exitCode: 1)
    }
default:
    usage()
}
