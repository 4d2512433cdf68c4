import ArgumentParser
import Diagnostics
import Foundation
import Markdown
import Site
import Terminal

struct BuildCommand: ParsableCommand, RenderingCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the course: every lesson in lessons/ becomes a page in site/.",
        discussion: """
            Each lessons/NN-slug.md (YAML front matter, then markdown) becomes NN-slug's \
            page, slug.html, with its attention blocks traced and worked out as tables, \
            formulas and pictures; site/index.html lists the course. The pages need no \
            JavaScript and load nothing from the network: open site/index.html in a browser.

            The new site is written to a temporary folder and swapped in only when every \
            lesson built, so a mistake in a lesson never leaves a half-written site. \
            Errors name the lesson file, line and column. See docs/authoring.md.

            Examples:
              attn build
              attn build --lessons my-lessons --out /tmp/course
              attn build --strict            (what `make site` runs)
            """
    )

    @OptionGroup var lessons: LessonsOption<Self>
    static let lessonsHelp = "The folder of lessons (NN-slug.md files)."

    @Option(help: ArgumentHelp("Where to write the site.", valueName: "dir"))
    var out: String = "site"

    @OptionGroup var rawHTML: RawHTMLOption<Self>
    static let allowRawHTMLHelp = "Let raw HTML in lessons through to the pages (off by default: cmark's safe mode drops it)."

    @Flag(help: "Also fail on broken links between lessons, lessons without exercises, unexplained focus tokens and unused front-matter keys.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors and warnings.")
    var quiet = false

    func run() throws {
        let builder = SiteBuilder(lessons: lessons.lessons, output: out, options: MarkdownOptions(allowRawHTML: rawHTML.allowRawHTML, collectsProse: strict), strict: strict)
        do {
            let report = try builder.build()
            for warning in report.warnings { standardError("\(warning.description.replacingFirstColon(with: ": warning:"))") }
            if !quiet { print("built \(report.lessons.count) lesson\(report.lessons.count == 1 ? "" : "s") into \(out)/ (\(report.files.count) files)") }
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            standardError("attn: the build failed; \(out)/ was left as it was")
            throw ExitCode(1)
        }
    }
}

extension String {
    /// `a:1:2: msg` → `a:1:2: warning: msg`.
    func replacingFirstColon(with text: String) -> String {
        guard let range = range(of: ": ") else { return self }
        return replacingCharacters(in: range, with: text + " ")
    }
}
