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
    /// `attn build --strict`: also fail on what `StrictChecks` finds (broken links between
    /// lessons, lessons without exercises, unexplained focus tokens, unused front-matter keys).
    public var strict: Bool

    public init(lessons: String, output: String, options: MarkdownOptions = .safe, strict: Bool = false) {
        lessonsDirectory = lessons
        outputDirectory = output
        self.options = options
        self.strict = strict
    }

    /// What a build produced.
    public struct Report: Sendable {
        public var lessons: [Lesson]
        public var files: [String]
        public var warnings: [Diagnostic]
    }

    /// All the pages as file name → contents, without touching the disk.
    /// `cache` (for `attn serve`) re-uses the lessons and pages whose files did not change.
    public func render(cache: RenderCache? = nil) throws(BuildFailure) -> (pages: [(String, String)], report: Report) {
        try render(cache: cache, writingTo: nil)
    }

    /// `render(cache:)`, also writing each lesson page to `staging` as soon as it is made, so
    /// that the disk's work overlaps the rendering of the other pages.
    ///
    /// Two passes over the lesson files, each on all cores (one by one when serve's cache is
    /// in use): first every file's name and front matter, which fix the course's order and
    /// each page's neighbours; then, per lesson, its body and at once its page. Fusing body
    /// and page keeps each task's memory on one thread and lets pages reach the disk early.
    /// Errors come as before: every lesson's errors in file order (then clashing names);
    /// only when there are none, page errors in course order.
    private func render(cache: RenderCache?, writingTo staging: StagingFolder?) throws(BuildFailure) -> (pages: [(String, String)], report: Report) {
        let names = try lessonFileNames()
        var parsing = self.options
        if strict { parsing.collectsProse = true }   // the strict checks read the prose
        let directory = lessonsDirectory, options = parsing
        let map: ([Int], @escaping @Sendable (Int) -> LessonOutcome) -> [LessonOutcome] = { indices, transform in
            cache == nil ? parallelMap(indices, transform) : indices.map(transform)
        }

        // 1. Names and front matter (or the whole lesson, from the cache).
        let firsts = map(Array(names.indices)) { index in
            let path = (directory as NSString).appendingPathComponent(names[index])
            do throws(Diagnostic) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw Diagnostic("cannot read this file", at: SourceLocation(path: path, line: 1, column: 1))
                }
                if let cached = cache?.lesson(path, data) { return .lesson(cached, data) }
                let text = try MarkdownDocument.decode(data, path: path)
                return .header(try LessonParser.header(text, path: path, fileName: names[index]), data)
            } catch {
                return .loadFailed(error)
            }
        }
        let headers = firsts.compactMap(\.header)
        // The course's order; each lesson's neighbours are those of its header.
        let order = headers.indices.sorted { a, b in
            (headers[a].order, headers[a].number, headers[a].slug) < (headers[b].order, headers[b].number, headers[b].slug)
        }
        let fileIndexOfHeader = firsts.indices.filter { firsts[$0].header != nil }

        // 2. Per lesson in course order: the body, then the page.
        let seconds = map(Array(order.indices)) { position in
            let fileIndex = fileIndexOfHeader[order[position]]
            let previous = position > 0 ? LessonPage.Neighbour(headers[order[position - 1]]) : nil
            let next = position + 1 < order.count ? LessonPage.Neighbour(headers[order[position + 1]]) : nil
            let lesson: Lesson
            let data: Data
            switch firsts[fileIndex] {
            case .lesson(let cached, let bytes):
                (lesson, data) = (cached, bytes)
            case .header(let header, let bytes):
                do throws(Diagnostic) {
                    lesson = try LessonParser.parse(header, options: options)
                } catch {
                    return .loadFailed(error)
                }
                data = bytes
                cache?.store(lesson, lesson.path, data)
            default:
                preconditionFailure("only lessons with a header are in the course order")
            }
            let neighbours = [previous, next]   // the page's links to them: the cache's key too
            let fileName = LessonPage.fileName(lesson)
            do throws(Diagnostic) {
                let page: String
                if let cached = cache?.page(lesson.path, neighbours) {
                    page = cached
                } else {
                    page = try LessonPage(lesson: lesson, previous: previous, next: next).render()
                    cache?.store(page: page, lesson.path, neighbours)
                }
                try staging?.write(page, to: fileName)
                return .page(lesson, fileName, page)
            } catch {
                return .renderFailed(lesson, error)
            }
        }

        // Lesson errors in file order, then names that clash.
        var loadErrors: [(fileIndex: Int, error: Diagnostic)] = firsts.enumerated().compactMap { index, first in
            first.loadError.map { (index, $0) }
        }
        for (position, second) in seconds.enumerated() {
            if let error = second.loadError { loadErrors.append((fileIndexOfHeader[order[position]], error)) }
        }
        var errors = loadErrors.sorted { $0.fileIndex < $1.fileIndex }.map(\.error)
        var seen: [String: LessonHeader] = [:]
        for header in headers {
            if let other = seen[header.slug] {
                errors.append(Diagnostic("duplicate slug '\(header.slug)': \(other.path) already makes \(header.slug).html; rename one of the files", at: SourceLocation(path: header.path, line: 1, column: 1)))
            }
            if header.slug == "index" {
                errors.append(Diagnostic("a lesson may not be called 'index': index.html is the course outline", at: SourceLocation(path: header.path, line: 1, column: 1)))
            }
            seen[header.slug] = header
        }
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }

        var lessons: [Lesson] = []
        var pages: [(String, String)] = []
        for second in seconds {
            switch second {
            case .page(let lesson, let fileName, let page):
                lessons.append(lesson)
                pages.append((fileName, page))
            case .renderFailed(let lesson, let error):
                lessons.append(lesson)
                errors.append(error)
            default:
                break
            }
        }
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }
        let guides = try Guide.load(from: lessonsDirectory, options: options)
        for guide in guides {
            if lessons.contains(where: { $0.slug == guide.slug }) {
                throw BuildFailure(diagnostics: [Diagnostic("guide '\(guide.slug)' has the same page name as a lesson: rename one of them", at: nil)])
            }
            pages.append((guide.fileName, guide.render()))
        }
        pages.append(("index.html", IndexPage(lessons: lessons, guides: guides).render()))
        pages.append(("style.css", Stylesheet.css))
        var warnings = lessons.flatMap(StrictChecks.unusedKeys)
        if strict {
            let problems = StrictChecks.diagnostics(lessons: lessons, pages: pages)
            if !problems.isEmpty { throw BuildFailure(diagnostics: problems) }
            warnings = []
        }
        return (pages.sorted { $0.0 < $1.0 }, Report(lessons: lessons, files: pages.map(\.0).sorted(), warnings: warnings))
    }

    /// Renders and writes the site atomically.
    @discardableResult
    public func build() throws(BuildFailure) -> Report {
        if let refusal = StagingFolder.refusalToReplace(outputDirectory, withFilesEndingIn: Self.fileExtensions) {
            throw BuildFailure(diagnostics: [Diagnostic(refusal, at: nil)])
        }
        let staging: StagingFolder
        do {
            staging = try StagingFolder(replacing: outputDirectory)
        } catch {
            throw BuildFailure(diagnostics: [error])
        }
        do throws(BuildFailure) {
            let (pages, report) = try render(cache: nil, writingTo: staging)
            do throws(Diagnostic) {
                let lessonPages = Set(report.lessons.map(LessonPage.fileName))
                for (name, contents) in pages where !lessonPages.contains(name) {
                    try staging.write(contents, to: name)
                }
                try staging.swapIn()
            } catch {
                throw BuildFailure(diagnostics: [error])
            }
            return report
        } catch {
            staging.discard()
            throw error
        }
    }

    /// The kinds of file a build writes (pages and the stylesheet).
    static let fileExtensions: Set<String> = ["html", "css"]

    /// Every `*.md` in the lessons folder, sorted.
    private func lessonFileNames() throws(BuildFailure) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: lessonsDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildFailure(diagnostics: [Diagnostic("attn: the lessons folder '\(lessonsDirectory)' does not exist (use --lessons DIR)", at: nil)])
        }
        let names = ((try? manager.contentsOfDirectory(atPath: lessonsDirectory)) ?? [])
            .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }   // not editors' hidden lock and backup files
            .sorted()
        guard !names.isEmpty else {
            throw BuildFailure(diagnostics: [Diagnostic("attn: no lessons (*.md files) in '\(lessonsDirectory)': create one with a name like 01-first-steps.md", at: nil)])
        }
        return names
    }
}

/// What became of one lesson file in a pass of `SiteBuilder.render`.
private enum LessonOutcome: Sendable {
    /// Pass 1: its name and front matter (and the file's bytes, the cache's key).
    case header(LessonHeader, Data)
    /// Pass 1 with serve's cache: the whole lesson, unchanged since the last build.
    case lesson(Lesson, Data)
    /// Pass 2: the lesson and its page.
    case page(Lesson, String, String)
    case loadFailed(Diagnostic)
    case renderFailed(Lesson, Diagnostic)

    var header: LessonHeader? {
        switch self {
        case .header(let header, _): header
        case .lesson(let lesson, _): lesson.header
        default: nil
        }
    }

    var loadError: Diagnostic? {
        if case .loadFailed(let error) = self { error } else { nil }
    }
}

/// One or more located errors that stopped a build.
public struct BuildFailure: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
