import ArgumentParser
import Foundation
import Site
import Terminal

struct WorksheetCommand: ParsableCommand, LessonsCommand {
    static let configuration = CommandConfiguration(
        commandName: "worksheet",
        abstract: "Write a printable worksheet for a lesson, and its answer key.",
        discussion: """
            For each worked example of the lesson the worksheet asks for the stages the \
            example shows (its show:): in each of their matrices the focus token's row is \
            left blank for the student to fill in by hand, and the matrices it is made from \
            are given. The answer key is a separate page with those cells filled in. Both \
            are self-contained HTML pages (no JavaScript, nothing from the network) that \
            print on A4 and Letter. A lesson with nothing to fill in is an error, and \
            nothing is written.

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

    @Option(help: ArgumentHelp("Where to write the two pages.", valueName: "dir"))
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
        let sheet = (out as NSString).appendingPathComponent(worksheet.sheetFileName)
        let key = (out as NSString).appendingPathComponent(worksheet.keyFileName)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data(worksheet.render(key: false).utf8).write(to: URL(fileURLWithPath: sheet), options: .atomic)
            try Data(worksheet.render(key: true).utf8).write(to: URL(fileURLWithPath: key), options: .atomic)
        } catch {
            standardError("attn: cannot write to '\(out)': \(error.localizedDescription)")
            throw ExitCode(1)
        }
        print("wrote \(sheet)")
        print("wrote \(key)")
    }

}
