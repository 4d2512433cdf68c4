import Foundation
import Testing
@testable import WorkbookChecks

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A program built next to this test bundle (attn), or an absolute path.
func builtProgram(_ name: String) -> URL {
    if name.hasPrefix("/") { return URL(fileURLWithPath: name) }
    let bundleDirectory = Bundle.main.bundleURL
    for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
}

struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a program to completion from the repository root, with extra environment variables.
func execute(_ program: String, _ arguments: [String], environment: [String: String] = [:], in folder: URL = repositoryRoot) throws -> Run {
    let process = Process()
    process.executableURL = builtProgram(program)
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(sharedBuild.merging(environment) { $1 }) { $1 }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attn-workbook-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let (outURL, errURL) = (directory.appendingPathComponent("out"), directory.appendingPathComponent("err"))
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Run(status: process.terminationStatus,
               stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
               stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

func attn(_ arguments: String..., environment: [String: String] = [:], in folder: URL = repositoryRoot) throws -> Run {
    try execute("attn", arguments, environment: environment, in: folder)
}

/// One folder of compiled exercises for every test (each is named by the hash of what made
/// it, so tests share what they have in common, such as the untouched stubs).
let sharedBuild = ["ATTN_WORKBOOK_BUILD": repositoryRoot.appendingPathComponent(".build/workbook-tests").path]

/// A scratch copy of the repository's workbook (Sources/Workbook, Sources/WorkbookSolutions,
/// workbook/), with some files replaced: `swift` by Sources/Workbook file name, `python` by
/// workbook/python file name. The student's own files never leak in: every exercise starts
/// as its stub from workbook/stubs.
func scratchWorkbook(swift: [String: String] = [:], python: [String: String] = [:]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("attn-workbook-\(UUID().uuidString)")
    let manager = FileManager.default
    try manager.createDirectory(at: root.appendingPathComponent("Sources"), withIntermediateDirectories: true)
    try manager.copyItem(at: repositoryRoot.appendingPathComponent("workbook"), to: root.appendingPathComponent("workbook"))
    try manager.copyItem(at: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions"), to: root.appendingPathComponent("Sources/WorkbookSolutions"))
    try manager.copyItem(at: repositoryRoot.appendingPathComponent("workbook/stubs/swift"), to: root.appendingPathComponent("Sources/Workbook"))
    for file in try manager.contentsOfDirectory(atPath: root.appendingPathComponent("workbook/stubs/python").path) {
        let target = root.appendingPathComponent("workbook/python/\(file)")
        try? manager.removeItem(at: target)
        try manager.copyItem(at: root.appendingPathComponent("workbook/stubs/python/\(file)"), to: target)
    }
    for (file, text) in swift { try text.write(to: root.appendingPathComponent("Sources/Workbook/\(file)"), atomically: true, encoding: .utf8) }
    for (file, text) in python { try text.write(to: root.appendingPathComponent("workbook/python/\(file)"), atomically: true, encoding: .utf8) }
    return root
}

/// The reference solution of an exercise, as a student would type it into the file.
func solution(_ exercise: Int, python: Bool = false) throws -> String {
    let e = WorkbookExercise.all.first { $0.number == exercise }!
    let path = python ? "Sources/WorkbookSolutions/python/\(e.pythonFile)" : "Sources/WorkbookSolutions/\(e.file)"
    return try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
}

/// A fresh folder with these files.
func temporaryFolder(_ files: [String: String]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attn-workbook-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, text) in files {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return directory.path
}

/// Whether exercise `exercise`'s function in Sources/Workbook is still the shipped stub, its
/// body nothing but `notStarted()`. Tests about the stubs check only those: a student's
/// work (committed or not) never makes `swift test` fail.
func isStillStub(_ exercise: WorkbookExercise) -> Bool {
    let url = repositoryRoot.appendingPathComponent("Sources/Workbook/\(exercise.file)")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
    return body(of: String(exercise.function.prefix { $0 != "(" }), in: text) == "notStarted()"
}

/// The body of top-level function `name` in Swift source `text`, trimmed: from the `{`
/// ending its signature to the `}` that starts a line.
func body(of name: String, in text: String) -> String? {
    guard let signature = text.range(of: "public func \(name)("),
          let open = text[signature.upperBound...].range(of: "{\n"),
          let close = text[open.upperBound...].range(of: "\n}") else { return nil }
    return text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Every exercise is still a stub: the workbook as shipped.
let workbookIsAsShipped = WorkbookExercise.all.allSatisfy(isStillStub)

extension Outcome {
    var passed: Bool { failure == nil }
}
