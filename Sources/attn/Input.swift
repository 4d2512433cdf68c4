import ArgumentParser
import Diagnostics
import Foundation
import Terminal

/// Reads a file, or standard input for `-`, as UTF-8 text. Returns the text and the name
/// that messages use for it.
func readInput(_ file: String) throws(Diagnostic) -> (text: String, path: String) {
    let data: Data
    let path = file == "-" ? "<stdin>" : file
    if file == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw Diagnostic("attn: cannot read '\(file)': no such file", at: nil)
        }
        if isDirectory.boolValue { throw Diagnostic("attn: cannot read '\(file)': it is a directory, not a spec file", at: nil) }
        guard let contents = FileManager.default.contents(atPath: file) else {
            throw Diagnostic("attn: cannot read '\(file)': permission denied or unreadable", at: nil)
        }
        data = contents
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw Diagnostic("the file is not valid UTF-8 text: save it as UTF-8", at: SourceLocation(path: path, line: 1, column: 1))
    }
    if text.contains("\0") {
        throw Diagnostic("the file contains a NUL byte: is it a binary file?", at: SourceLocation(path: path, line: 1, column: 1))
    }
    return (text, path)
}

/// Runs `body`, printing any diagnostic to standard error (compiler style) and exiting with 1.
func reportingDiagnostics(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let diagnostic as Diagnostic {
        StandardError.write(diagnostic.description + "\n")
        throw ExitCode(1)
    }
}
