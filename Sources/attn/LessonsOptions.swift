import ArgumentParser
import Lessons
import Markdown

/// A command that reads the lessons folder. It words the help of `--lessons` (and, if it
/// renders lessons, of `--allow-raw-html`) for what it does with them.
protocol LessonsCommand {
    static var lessonsHelp: String { get }
}

protocol RenderingCommand: LessonsCommand {
    static var allowRawHTMLHelp: String { get }
}

/// `--lessons DIR`, the lessons folder: one declaration for every command that has it.
struct LessonsOption<Command: LessonsCommand>: ParsableArguments {
    @Option(help: ArgumentHelp(Command.lessonsHelp, valueName: "dir"))
    var lessons: String = "lessons"

    var folder: LessonsFolder { LessonsFolder(lessons) }
}

/// `--allow-raw-html`, for the commands that render lessons into pages.
struct RawHTMLOption<Command: RenderingCommand>: ParsableArguments {
    @Flag(help: ArgumentHelp(Command.allowRawHTMLHelp))
    var allowRawHTML = false
}
