import Diagnostics
import Foundation
import Lessons
import Markdown

/// Builds the course: load every lesson → check the course → render the pages → write
/// them to a temporary folder → swap it in place of the old site. A failing step leaves
/// the old site untouched, and its errors name the lesson file, line and column.
public struct SiteBuilder {
    public var lessonsDirectory: String
    public var outputDirectory: String
    public var options: MarkdownOptions

    public init(lessons: String, output: String, options: MarkdownOptions = .safe) {
        lessonsDirectory = lessons
        outputDirectory = output
        self.options = options
    }

    /// What a build produced.
    public struct Report: Sendable {
        public var lessons: [Lesson]
        public var files: [String]
        public var warnings: [Diagnostic]
    }

    /// All the pages as file name → contents, without touching the disk.
    public func render() throws(BuildFailure) -> (pages: [(String, String)], report: Report) {
        let lessons = try load()
        var pages: [(String, String)] = []
        var errors: [Diagnostic] = []
        for (index, lesson) in lessons.enumerated() {
            do {
                let page = try LessonPage(lesson: lesson, previous: index > 0 ? lessons[index - 1] : nil,
                                          next: index + 1 < lessons.count ? lessons[index + 1] : nil).render()
                pages.append((LessonPage.fileName(lesson), page))
            } catch {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }
        pages.append(("index.html", IndexPage(lessons: lessons).render()))
        pages.append(("style.css", Stylesheet.css))
        let warnings = lessons.flatMap { lesson in
            lesson.frontMatter.unusedKeys.map { Diagnostic("front matter key '\($0.key)' is not used: the keys are title, summary, objectives and order", at: $0.location) }
        }
        return (pages.sorted { $0.0 < $1.0 }, Report(lessons: lessons, files: pages.map(\.0).sorted(), warnings: warnings))
    }

    /// Renders and writes the site atomically.
    @discardableResult
    public func build() throws(BuildFailure) -> Report {
        let (pages, report) = try render()
        do {
            try AtomicFolder.write(pages, to: outputDirectory)
        } catch {
            throw BuildFailure(diagnostics: [Diagnostic("cannot write the site to '\(outputDirectory)': \(error.localizedDescription)", at: nil)])
        }
        return report
    }

    /// Every `*.md` in the lessons folder, parsed, checked and sorted by order.
    func load() throws(BuildFailure) -> [Lesson] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: lessonsDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildFailure(diagnostics: [Diagnostic("attn: the lessons folder '\(lessonsDirectory)' does not exist (use --lessons DIR)", at: nil)])
        }
        let names = ((try? manager.contentsOfDirectory(atPath: lessonsDirectory)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        guard !names.isEmpty else {
            throw BuildFailure(diagnostics: [Diagnostic("attn: no lessons (*.md files) in '\(lessonsDirectory)': create one with a name like 01-first-steps.md", at: nil)])
        }
        var lessons: [Lesson] = []
        var errors: [Diagnostic] = []
        for name in names {
            let path = (lessonsDirectory as NSString).appendingPathComponent(name)
            do throws(Diagnostic) {
                guard let data = manager.contents(atPath: path) else {
                    throw Diagnostic("cannot read this file", at: SourceLocation(path: path, line: 1, column: 1))
                }
                let text = try MarkdownDocument.decode(data, path: path)
                lessons.append(try LessonParser.parse(text, path: path, fileName: name, options: options))
            } catch {
                errors.append(error)
            }
        }
        // Two files may not make the same page.
        var seen: [String: Lesson] = [:]
        for lesson in lessons {
            if let other = seen[lesson.slug] {
                errors.append(Diagnostic("duplicate slug '\(lesson.slug)': \(other.path) already makes \(lesson.slug).html; rename one of the files", at: SourceLocation(path: lesson.path, line: 1, column: 1)))
            }
            if lesson.slug == "index" {
                errors.append(Diagnostic("a lesson may not be called 'index': index.html is the course outline", at: SourceLocation(path: lesson.path, line: 1, column: 1)))
            }
            seen[lesson.slug] = lesson
        }
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }
        return lessons.sorted { ($0.order, $0.number, $0.slug) < ($1.order, $1.number, $1.slug) }
    }
}

/// One or more located errors that stopped a build.
public struct BuildFailure: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Writes a folder of files so that readers see either the old folder or the new one:
/// the files go to a fresh sibling folder, which then replaces the target.
enum AtomicFolder {
    static func write(_ files: [(String, String)], to target: String) throws {
        let manager = FileManager.default
        let url = URL(fileURLWithPath: target).standardizedFileURL
        let parent = url.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(url.lastPathComponent).new-\(ProcessInfo.processInfo.processIdentifier)")
        let retired = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            for (name, contents) in files {
                try Data(contents.utf8).write(to: staging.appendingPathComponent(name))
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        if manager.fileExists(atPath: url.path) {
            try? manager.removeItem(at: retired)
            try manager.moveItem(at: url, to: retired)
            do {
                try manager.moveItem(at: staging, to: url)
            } catch {
                try? manager.moveItem(at: retired, to: url)   // put the old site back
                throw error
            }
            try? manager.removeItem(at: retired)
        } else {
            try manager.moveItem(at: staging, to: url)
        }
    }
}
