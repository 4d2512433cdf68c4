import ArgumentParser
import Lessons
import Terminal

struct NewCommand: ParsableCommand, LessonsCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a lesson: write the next lessons/NN-slug.md, ready to build.",
        discussion: """
            The new file is numbered one past the highest NN in the lessons folder, and its \
            slug is the title in lowercase ASCII with dashes ("Why scale?" → why-scale). It \
            holds front matter, a small attention block with a focus token, a trace reference \
            and an exercise, and builds as it is (also with `attn build --strict`). attn \
            never overwrites a file, and refuses a slug another lesson already has.

            Examples:
              attn new "Why divide by √d_k"
              attn new "Masks" --lessons my-lessons
            """
    )

    @Argument(help: "The lesson's title.")
    var title: String

    @OptionGroup var lessons: LessonsOption<Self>
    static let lessonsHelp = "The folder of lessons (created if missing)."

    func run() throws {
        let path: String
        do {
            path = try NewLesson.create(title: title, in: lessons.folder)
        } catch {
            standardError(error.description)
            throw ExitCode(1)
        }
        print("created \(path)")
        print("preview it with:  attn serve --lessons \(lessons.lessons)")
    }
}
