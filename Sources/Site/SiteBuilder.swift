import Diagnostics
import Foundation
import Lessons
import Markdown

/// Builds the course. A lesson goes from `attn build` to its page in these steps, each a
/// function or type in BuildSteps.swift with its own result:
///
/// 1. `LessonFiles(in:)` → `LessonFiles`: the `*.md` files of the lessons folder, sorted.
/// 2. `readHeaders` → `[Result<LessonFile, Diagnostic>]`: each file's name and front matter
///    (`LessonParser.header`), on all cores.
/// 3. `CourseOrder` → the lessons in course order, each with its neighbours.
/// 4. `buildLessons` → `[LessonBuild]`: per lesson, on all cores, its body parsed by cmark
///    and traced (`LessonParser.parse`), then at once its page rendered (`LessonPage`) and
///    written to the staging folder.
/// 5. `BuiltCourse` → the lessons and their pages, or every error so far: each lesson's, in
///    file order, and names that clash; only when there are none, page errors.
/// 6. `coursePages` → `[RenderedPage]`: the guides, the index and the stylesheet.
/// 7. `strictChecks` → the warnings; with `--strict`, what `StrictChecks` finds fails the build.
///
/// `build()` then writes the pages not yet written and swaps the staging folder in place of
/// the old site (`StagingFolder`). A failing step leaves the old site untouched, and its
/// errors name the lesson file, line and column.
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
    /// that the disk's work overlaps the rendering of the other pages. The steps are listed
    /// at the top of `SiteBuilder`.
    private func render(cache: RenderCache?, writingTo staging: StagingFolder?) throws(BuildFailure) -> (pages: [(String, String)], report: Report) {
        var options = self.options
        if strict { options.collectsProse = true }   // the strict checks read the prose
        let files = try LessonFiles(in: lessonsDirectory)
        let reads = files.readHeaders(cache: cache)
        let course = CourseOrder(reads)
        let builds = Self.buildLessons(course, options: options, anchors: strict, cache: cache, staging: staging)
        let built = try BuiltCourse(reads: reads, course: course, builds: builds)
        let pages = built.pages + (try Self.coursePages(built.lessons, from: lessonsDirectory, options: options, anchors: strict))
        let warnings = try Self.strictChecks(built.lessons, pages: pages, strict: strict)
        let output = pages.map { ($0.fileName, $0.html) }.sorted { $0.0 < $1.0 }
        return (output, Report(lessons: built.lessons, files: output.map(\.0), warnings: warnings))
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
}

/// One or more located errors that stopped a build.
public struct BuildFailure: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
