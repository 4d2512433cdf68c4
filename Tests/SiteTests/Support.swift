import Diagnostics
import Foundation
import TestSupport
import Testing
@testable import Site

let fixtureLessons = repositoryRoot.appendingPathComponent("Tests/SiteTests/Fixtures/lessons")

/// Lines 1–7 of a test lesson: front matter and a blank line.
let frontMatter = "---\ntitle: T\nsummary: S\nobjectives:\n  - O\n---\n\n"

/// Lines 8–13: a block named `small` over I, am, good, and a blank line.
let smallBlock = "```attention\nname: small\ntokens: [I, am, good]\nX: [[1, 0], [0, 1], [1, 1]]\n```\n\n"

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("attn-site-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }
    var lessons: String { url.appendingPathComponent("lessons").path }
    var site: String { url.appendingPathComponent("site").path }

    /// Writes `files` (name → text) into `lessons/`, replacing what was there.
    func writeLessons(_ files: [String: String]) throws {
        try? FileManager.default.removeItem(atPath: lessons)
        try FileManager.default.createDirectory(atPath: lessons, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: lessons).appendingPathComponent(name))
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The builder's error messages for `files`, with the scratch folder shown as `lessons/`;
/// nil when the build succeeds.
func buildErrors(_ files: [String: String]) throws -> [String]? {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.writeLessons(files)
    do {
        _ = try SiteBuilder(lessons: scratch.lessons, output: scratch.site).render()
        return nil
    } catch {
        return error.diagnostics.map { $0.description.replacingOccurrences(of: scratch.lessons, with: "lessons") }
    }
}

/// The rendered pages (file name → text) for `files`.
func render(_ files: [String: String], allowRawHTML: Bool = false) throws -> [String: String] {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try scratch.writeLessons(files)
    do {
        let (pages, _) = try SiteBuilder(lessons: scratch.lessons, output: scratch.site, options: .init(allowRawHTML: allowRawHTML)).render()
        return Dictionary(uniqueKeysWithValues: pages)
    } catch {
        Issue.record("build failed: \(error)")
        return [:]
    }
}

/// The entries of a folder (name → bytes; empty for a folder), hidden ones included.
func contents(of folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
        files[name] = FileManager.default.contents(atPath: URL(fileURLWithPath: folder).appendingPathComponent(name).path) ?? Data()
    }
    return files
}

/// Problems with the tags of an HTML page: every tag must be `<name attr="value" …>` with
/// escaped values, so that no text can have opened or broken a tag. A check that markup
/// was built, not glued together.
func malformedTags(_ html: String) -> [String] {
    var problems: [String] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        rest = rest[rest.index(after: open)...]
        if rest.hasPrefix("!--") {
            guard let end = rest.range(of: "-->") else { problems.append("unclosed comment"); break }
            rest = rest[end.upperBound...]
            continue
        }
        guard let close = rest.firstIndex(of: ">") else { problems.append("unclosed tag at end"); break }
        let tag = rest[..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("!DOCTYPE") { continue }
        let pattern = #"^/?[a-zA-Z][a-zA-Z0-9-]*(\s+[a-zA-Z_:][a-zA-Z0-9_:.-]*(="[^"<>]*")?)*\s*/?$"#
        if tag.range(of: pattern, options: .regularExpression) == nil { problems.append("<\(tag)>") }
    }
    return problems
}
