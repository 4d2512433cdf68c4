import Foundation

// What several test targets need and nothing else has: where the repository is, where the
// built attn is, and how to run a program to the end and keep what it printed.

/// The repository's root folder (this file is Tests/TestSupport/TestSupport.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A program SwiftPM built next to the test bundle (such as `attn`), or an absolute path.
public func builtProgram(_ name: String) -> URL {
    if name.hasPrefix("/") { return URL(fileURLWithPath: name) }
    let bundleDirectory = Bundle.main.bundleURL
    for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
}

/// The attn binary built next to the test bundle.
public let attnBinary = builtProgram("attn")

/// What a finished program left: its exit status and everything it printed.
public struct Run: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program to completion in `folder` (the repository root unless told), with `input`
/// on its standard input (none: end of file at once) and `environment` added to this
/// process's. Output goes to files, so a large output can never fill a pipe and block the
/// child. With `standardOutput` (such as "/dev/full") its standard output goes there
/// instead, and `stdout` is empty.
public func execute(_ program: URL, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                    in folder: URL = repositoryRoot, standardOutput: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attn-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let (outURL, errURL) = (directory.appendingPathComponent("out"), directory.appendingPathComponent("err"))
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: standardOutput.map { URL(fileURLWithPath: $0) } ?? outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    let pipe = input.map { _ in Pipe() }
    process.standardInput = pipe ?? FileHandle.nullDevice
    try process.run()
    if let pipe, let input {
        pipe.fileHandleForWriting.write(Data(input.utf8))
        try pipe.fileHandleForWriting.close()
    }
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Run(status: process.terminationStatus,
               stdout: standardOutput == nil ? String(decoding: try Data(contentsOf: outURL), as: UTF8.self) : "",
               stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}
