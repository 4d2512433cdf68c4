import Foundation
import Terminal

/// Building the runner, and what to say when the build fails in a file the student never
/// edits: `Sources/attn-workbook/main.swift` names every workbook function with its exact
/// signature, so a changed signature (a renamed label, `[Double]` for `[[Double]]`) fails there.
public enum WorkbookBuild {
    /// A workbook function as the runner calls it: the stub's file and its declaration, as in
    /// the reference solution, e.g. `public func softmaxRows(_ scores: [[Double]]) -> [[Double]]`.
    struct Signature: Equatable {
        let file: String
        let name: String
        let declaration: String
    }

    /// The package root, from this file's place in it (Sources/WorkbookRunner/WorkbookBuild.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A failed build: what to print on standard error (the compiler's errors, then which
    /// signature changed and what it must be).
    public struct Failure: Error, Sendable {
        public let report: String
    }

    /// `swift build --product attn-workbook` in the package; `swift` is the `swift` program
    /// to run (tests give a stand-in), by default the one on PATH. A status line on a
    /// terminal says so while it runs.
    public static func build(swift: String?) throws(Failure) {
        let root = packageRoot
        let (program, arguments) = swift.map { (URL(fileURLWithPath: $0), [String]()) }
            ?? (URL(fileURLWithPath: "/usr/bin/env"), ["swift"])
        let line = StatusLine()
        line.show("building attn-workbook")
        let run = ChildProcess.run(program, arguments + ["build", "--product", "attn-workbook", "--package-path", root.path], timeout: 3600)
        line.clear()
        guard run.ending != .exited(0) else { return }
        let output = run.stdout + run.stderr
        // The compiler's messages, without the build's progress lines.
        let compiler = output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("[") && !$0.hasPrefix("Building") && !$0.hasPrefix("Planning") }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
        let workbook = root.appendingPathComponent("Sources/Workbook")
        let messages = explain(output, expected: signatures(solutions: root.appendingPathComponent("Sources/WorkbookSolutions").path)) {
            try? String(contentsOf: workbook.appendingPathComponent($0), encoding: .utf8)
        }
        var text = compiler.isEmpty ? "attn check: swift build --product attn-workbook failed (\(run.ending))\n" : compiler + "\n"
        if !messages.isEmpty { text += "\n" + messages.joined(separator: "\n") + "\n" }
        throw Failure(report: text)
    }

    /// Every exercise's signature, from the reference solutions (`NN-Name.swift`).
    static func signatures(solutions: String) -> [Signature] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: solutions)) ?? [])
            .filter { $0.hasSuffix(".swift") && $0.prefix(2).allSatisfy(\.isNumber) }.sorted()
        return files.compactMap { file in
            guard let text = try? String(contentsOfFile: (solutions as NSString).appendingPathComponent(file), encoding: .utf8),
                  let range = text.range(of: #"public func (\w+)\("#, options: .regularExpression) else { return nil }
            let name = String(text[range].dropFirst("public func ".count).dropLast())
            return declaration(of: name, in: text).map { Signature(file: file, name: name, declaration: $0) }
        }
    }

    /// `public func name(…) -> T`, whitespace collapsed, from Swift source; nil if absent.
    static func declaration(of name: String, in source: String) -> String? {
        guard let start = source.range(of: #"public\s+func\s+\#(name)\s*\("#, options: .regularExpression),
              let open = source[start.upperBound...].firstIndex(of: "{") else { return nil }
        return source[start.lowerBound..<open].split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// For a failed build's compiler output: one message per workbook function whose changed
    /// signature breaks the runner (errors outside Sources/Workbook); none when every error is
    /// in the student's own files, where the compiler's messages speak for themselves.
    /// `stub` gives a workbook file's text, to show the student's declaration.
    static func explain(_ output: String, expected: [Signature], stub: (String) -> String?) -> [String] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let error = try! NSRegularExpression(pattern: #"^(.+?):(\d+):\d+: error: (.*)$"#)
        var messages: [String] = []
        var unexplained: [String] = []
        for (index, line) in lines.enumerated() {
            guard let match = error.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let path = Range(match.range(at: 1), in: line).map({ String(line[$0]) }),
                  !path.contains("Sources/Workbook/"), let number = Range(match.range(at: 2), in: line).map({ line[$0] }) else { continue }
            // The compiler shows the line it stopped at as " 21 |     softmaxRows: Workbook.softmaxRows(_:),".
            let shown = lines[(index + 1)...].prefix(12).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(number) |") } ?? ""
            let signature = expected.first { shown.contains("Workbook.\($0.name)(") }
                ?? expected.first { line.contains("'\($0.name)(") }
            guard let signature else { unexplained.append("\(path):\(number)"); continue }
            let file = "Sources/Workbook/\(signature.file)"
            var message = "\(file): the signature of \(signature.name) changed; it must be `\(signature.declaration)`"
            if let text = stub(signature.file) {
                if let yours = declaration(of: signature.name, in: text) {
                    if yours != signature.declaration { message += " (yours is `\(yours)`)" }
                } else {
                    message += " (the file no longer declares `public func \(signature.name)(`)"
                }
            }
            message += ". attn check calls it with exactly these labels and types: put them back, and keep any helper under another name."
            if !messages.contains(message) { messages.append(message) }
        }
        if messages.isEmpty, let first = unexplained.first {
            messages.append("\(first): the build failed in a file you do not edit. Has a function in Sources/Workbook lost the signature of its stub? Each must stay as its stub declares it (the doc comment's first line says which exercise).")
        }
        return messages
    }
}
