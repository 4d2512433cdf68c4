import ArgumentParser
import Foundation
import Site
import Terminal

struct WorksheetCommand: ParsableCommand, LessonsCommand {
    static let configuration = CommandConfiguration(
        commandName: "worksheet",
        abstract: "Write a printable worksheet for a lesson, its answer key, and an answers file to fill in.",
        discussion: """
            For each worked example of the lesson the worksheet asks for the stages the \
            example shows (its show:): in each of their matrices the focus token's row is \
            left blank for the student to fill in by hand, and the matrices it is made from \
            are given. The answer key is a separate page with those cells filled in. Both \
            are self-contained HTML pages (no JavaScript, nothing from the network) that \
            print on A4 and Letter. Beside them goes SLUG-worksheet.answers.yaml, with one \
            empty line per blank cell (worked example → matrix → row → column): fill it in \
            and grade it with attn check --worksheet FILE. A lesson with nothing to fill in \
            is an error, and nothing is written.

            LESSON is a lesson file, or the slug or number of one in the lessons folder.

            Examples:
              attn worksheet lessons/03-learnable-projections.md
              attn worksheet learnable-projections --out /tmp/sheets
              attn worksheet 3
            """
    )

    @Argument(help: "A lesson file (lessons/03-slug.md), or its slug or number.")
    var lesson: String

    @OptionGroup var lessons: LessonsOption<Self>
    static let lessonsHelp = "The folder of lessons, for a slug or number."

    @Option(help: ArgumentHelp("Where to write the two pages and the answers file.", valueName: "dir"))
    var out: String = "worksheets"

    func run() throws {
        guard let path = lessons.folder.lessonPath(for: lesson) else {
            standardError("attn: no lesson '\(lesson)': give a lesson file, or the slug or number of one in \(lessons.lessons)/")
            throw ExitCode(1)
        }
        let worksheet: Worksheet
        do {
            worksheet = Worksheet(lesson: try Worksheet.lesson(at: path))
            try worksheet.requireBlanks()
        } catch {
            standardError(error.description)
            standardError("attn: no worksheet was written")
            throw ExitCode(1)
        }
        do {
            for path in try worksheet.write(to: out) { print("wrote \(path)") }
        } catch {
            standardError(error.description)
            throw ExitCode(1)
        }
    }

}
