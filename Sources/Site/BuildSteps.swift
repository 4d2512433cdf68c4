import Diagnostics
import Foundation
import HTML
import Lessons
import Markdown

// The steps of `SiteBuilder.render`, in order (the list is at the top of SiteBuilder.swift).

/// A page a build made: its file name and text, and the ids its links may point to
/// (collected only for the strict checks, from the page's node tree).
struct RenderedPage: Sendable {
    let fileName: String
    let html: String
    let anchors: Set<String>?

    init(fileName: String, html: String) {
        self.fileName = fileName
        self.html = html
        anchors = nil
    }

    init(fileName: String, document: Document, anchors: Bool) {
        self.fileName = fileName
        html = document.render()
        self.anchors = anchors ? StrictChecks.anchors(in: document) : nil
    }
}

/// `transform` on every item, on all cores; one by one when serve's cache is in use. The
/// results keep the items' order.
private func eachLesson<T: Sendable, R: Sendable>(_ items: [T], cache: RenderCache?, _ transform: @escaping @Sendable (T) -> R) -> [R] {
    cache == nil ? parallelMap(items, transform) : items.map(transform)
}

// MARK: 1. The lesson files

/// Step 1: the lessons folder and its `*.md` files, sorted.
struct LessonFiles: Sendable {
    let directory: String
    let names: [String]

    init(in directory: String) throws(BuildFailure) {
        let folder = LessonsFolder(directory)
        guard folder.exists else {
            throw BuildFailure(diagnostics: [Diagnostic("attn: the lessons folder '\(directory)' does not exist (use --lessons DIR)", at: nil)])
        }
        names = folder.lessonFileNames()
        guard !names.isEmpty else {
            throw BuildFailure(diagnostics: [Diagnostic("attn: no lessons (*.md files) in '\(directory)': create one with a name like 01-first-steps.md", at: nil)])
        }
        self.directory = directory
    }

    // MARK: 2. Headers

    /// Step 2: each file's name and front matter, in file order (or, from serve's cache, the
    /// whole lesson if the file did not change).
    func readHeaders(cache: RenderCache?) -> [Result<LessonFile, Diagnostic>] {
        eachLesson(names, cache: cache) { [directory] name in
            let path = LessonsFolder(directory).path(of: name)
            return Result { () throws(Diagnostic) in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw Diagnostic("cannot read this file", at: SourceLocation(path: path, line: 1, column: 1))
                }
                if let cached = cache?.lesson(path, data) { return LessonFile(content: .unchanged(cached), data: data) }
                let text = try MarkdownDocument.decode(data, path: path)
                return LessonFile(content: .header(try LessonParser.header(text, path: path, fileName: name)), data: data)
            }
        }
    }
}

/// A lesson file read in step 2.
struct LessonFile: Sendable {
    enum Content: Sendable {
        /// Its name and front matter; the body is parsed in step 4.
        case header(LessonHeader)
        /// From serve's cache: the whole lesson, unchanged since the last build.
        case unchanged(Lesson)
    }

    let content: Content
    /// The file's bytes: serve's cache key.
    let data: Data

    var header: LessonHeader {
        switch content {
        case .header(let header): header
        case .unchanged(let lesson): lesson.header
        }
    }
}

// MARK: 3. Course order

/// Step 3: the lessons that were read, in course order (`order` from the front matter,
/// else the file's number, then the slug), each with the neighbours its page links to.
struct CourseOrder: Sendable {
    struct Place: Sendable {
        /// The lesson's position among the files (errors are reported in file order).
        let fileIndex: Int
        let file: LessonFile
        let previous: LessonPage.Neighbour?
        let next: LessonPage.Neighbour?
    }

    let places: [Place]

    init(_ reads: [Result<LessonFile, Diagnostic>]) {
        let files: [(fileIndex: Int, file: LessonFile)] = reads.enumerated().compactMap { index, read in
            (try? read.get()).map { (index, $0) }
        }
        let headers = files.map(\.file.header)
        let order = headers.indices.sorted { a, b in
            (headers[a].order, headers[a].number, headers[a].slug) < (headers[b].order, headers[b].number, headers[b].slug)
        }
        places = order.indices.map { position in
            Place(fileIndex: files[order[position]].fileIndex, file: files[order[position]].file,
                  previous: position > 0 ? LessonPage.Neighbour(headers[order[position - 1]]) : nil,
                  next: position + 1 < order.count ? LessonPage.Neighbour(headers[order[position + 1]]) : nil)
        }
    }
}

// MARK: 4. Lessons and their pages

/// Step 4's result for one lesson.
enum LessonBuild: Sendable {
    /// Its body could not be parsed or traced.
    case failed(Diagnostic)
    /// The lesson, and its page or why the page could not be made or written.
    case built(Lesson, Result<RenderedPage, Diagnostic>)
}

extension SiteBuilder {
    /// Step 4, per lesson in course order, on all cores: the body parsed by cmark and traced,
    /// then at once the page rendered and written to `staging`. Fusing body and page keeps
    /// each task's memory on one thread and lets pages reach the disk early. `anchors`:
    /// collect each page's ids for the strict checks.
    static func buildLessons(_ course: CourseOrder, options: MarkdownOptions, anchors: Bool,
                             cache: RenderCache?, staging: StagingFolder?) -> [LessonBuild] {
        eachLesson(course.places, cache: cache) { place in
            let lesson: Lesson
            switch place.file.content {
            case .unchanged(let cached):
                lesson = cached
            case .header(let header):
                do throws(Diagnostic) {
                    lesson = try LessonParser.parse(header, options: options)
                } catch {
                    return .failed(error)
                }
                cache?.store(lesson, lesson.path, place.file.data)
            }
            return .built(lesson, Result { () throws(Diagnostic) in
                let page = try lessonPage(lesson, at: place, anchors: anchors, cache: cache)
                try staging?.write(page.html, to: page.fileName)
                return page
            })
        }
    }

    /// A lesson's page, from serve's cache if its file and neighbours did not change.
    static func lessonPage(_ lesson: Lesson, at place: CourseOrder.Place, anchors: Bool, cache: RenderCache?) throws(Diagnostic) -> RenderedPage {
        let neighbours = [place.previous, place.next]   // the page's links to them: the cache's key too
        if let cached = cache?.page(lesson.path, neighbours), cached.anchors != nil || !anchors { return cached }
        let document = try LessonPage(lesson: lesson, previous: place.previous, next: place.next).document()
        let page = RenderedPage(fileName: LessonPage.fileName(lesson), document: document, anchors: anchors)
        cache?.store(page: page, lesson.path, neighbours)
        return page
    }
}

// MARK: 5. Errors so far

/// Step 5: the lessons in course order and their pages, or every error so far: first each
/// lesson's (reading or parsing it), in file order, then names that clash; only when there
/// are none, page errors in course order.
struct BuiltCourse {
    let lessons: [Lesson]
    let pages: [RenderedPage]

    init(reads: [Result<LessonFile, Diagnostic>], course: CourseOrder, builds: [LessonBuild]) throws(BuildFailure) {
        var lessonErrors: [(fileIndex: Int, error: Diagnostic)] = reads.enumerated().compactMap { index, read in
            if case .failure(let error) = read { (index, error) } else { nil }
        }
        for (place, build) in zip(course.places, builds) {
            if case .failed(let error) = build { lessonErrors.append((place.fileIndex, error)) }
        }
        let errors = lessonErrors.sorted { $0.fileIndex < $1.fileIndex }.map(\.error)
            + Self.nameClashes(reads.compactMap { try? $0.get().header })
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }

        var lessons: [Lesson] = [], pages: [RenderedPage] = [], pageErrors: [Diagnostic] = []
        for case .built(let lesson, let page) in builds {
            lessons.append(lesson)
            switch page {
            case .success(let page): pages.append(page)
            case .failure(let error): pageErrors.append(error)
            }
        }
        if !pageErrors.isEmpty { throw BuildFailure(diagnostics: pageErrors) }
        self.lessons = lessons
        self.pages = pages
    }

    /// Two lessons whose pages would have one name, or a lesson named like the index page.
    static func nameClashes(_ headers: [LessonHeader]) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        var seen: [String: LessonHeader] = [:]
        for header in headers {
            if let other = seen[header.slug] {
                errors.append(Diagnostic("duplicate slug '\(header.slug)': \(other.path) already makes \(header.slug).html; "
                    + "rename one of the files", at: SourceLocation(path: header.path, line: 1, column: 1)))
            }
            if header.slug == "index" {
                errors.append(Diagnostic("a lesson may not be called 'index': index.html is the course outline", at: SourceLocation(path: header.path, line: 1, column: 1)))
            }
            seen[header.slug] = header
        }
        return errors
    }
}

// MARK: 6. Course pages

extension SiteBuilder {
    /// Step 6: the guides (`lessons/guides`), the course outline and the stylesheet.
    static func coursePages(_ lessons: [Lesson], from directory: String, options: MarkdownOptions, anchors: Bool) throws(BuildFailure) -> [RenderedPage] {
        let guides = try Guide.load(from: directory, options: options)
        var pages: [RenderedPage] = []
        for guide in guides {
            if lessons.contains(where: { $0.slug == guide.slug }) {
                throw BuildFailure(diagnostics: [Diagnostic("guide '\(guide.slug)' has the same page name as a lesson: rename one of them", at: nil)])
            }
            pages.append(RenderedPage(fileName: guide.fileName, document: guide.document(), anchors: anchors))
        }
        pages.append(RenderedPage(fileName: "index.html", document: IndexPage(lessons: lessons, guides: guides).document(), anchors: anchors))
        pages.append(RenderedPage(fileName: "style.css", html: Stylesheet.css))
        return pages
    }

    // MARK: 7. Strict checks

    /// Step 7: the warnings (front-matter keys attn does not use); in a strict build, every
    /// finding of `StrictChecks` is an error instead.
    static func strictChecks(_ lessons: [Lesson], pages: [RenderedPage], strict: Bool) throws(BuildFailure) -> [Diagnostic] {
        guard strict else { return lessons.flatMap(StrictChecks.unusedKeys) }
        let problems = StrictChecks.diagnostics(lessons: lessons, pages: pages)
        if !problems.isEmpty { throw BuildFailure(diagnostics: problems) }
        return []
    }
}
