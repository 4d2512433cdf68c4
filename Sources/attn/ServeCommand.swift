import ArgumentParser
import Markdown
import Serve
import Terminal

struct ServeCommand: ParsableCommand, RenderingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the course in a browser, rebuilt and reloaded as you save.",
        discussion: """
            Builds the course in memory and serves it on http://127.0.0.1:PORT/ (this \
            computer only). Every 250 ms it looks at the lessons folder; when a file \
            changes it rebuilds and the open page reloads itself. A lesson with an error \
            shows the error (file:line:column: message) in the page instead; saving the \
            fix brings the lesson back. Nothing is written to disk, and the reload script \
            exists only in served pages: `attn build` makes pages without JavaScript. \
            Ctrl-C stops the server.

            Examples:
              attn serve
              attn serve --port 0 --lessons my-lessons     (port 0: any free port)
            """
    )

    @Option(help: ArgumentHelp("The port on 127.0.0.1 (0 picks a free one).", valueName: "port"))
    var port: Int = 8000

    @OptionGroup var lessons: LessonsOption<Self>
    static let lessonsHelp = "The folder of lessons (NN-slug.md files)."

    @OptionGroup var rawHTML: RawHTMLOption<Self>
    static let allowRawHTMLHelp = "Let raw HTML in lessons through to the pages."

    @Option(help: .hidden)
    var measure: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
    }

    func run() throws {
        let options = MarkdownOptions(allowRawHTML: rawHTML.allowRawHTML)
        if let measure {
            guard let line = try CourseServer.measureRebuilds(lessons: lessons.lessons, options: options, runs: max(1, measure)) else {
                throw ValidationError("no lessons in \(lessons.lessons)")
            }
            print(line)
            return
        }
        do {
            try CourseServer.serve(lessons: lessons.lessons, options: options, port: UInt16(port), report: standardOutput)
        } catch {
            standardError("attn: \(error)")
            throw ExitCode(1)
        }
    }
}
