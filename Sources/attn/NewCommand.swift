import ArgumentParser
import Foundation

struct NewCommand: ParsableCommand {
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

    @Option(help: ArgumentHelp("The folder of lessons (created if missing).", valueName: "dir"))
    var lessons: String = "lessons"

    func run() throws {
        let slug = Self.slug(title)
        guard !slug.isEmpty else {
            standardError("attn: the title '\(title)' has no ASCII letters or digits to make a file name from; write it with some (e.g. \"Masks\")")
            throw ExitCode(1)
        }
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: lessons, withIntermediateDirectories: true)
        } catch {
            standardError("attn: cannot create the lessons folder '\(lessons)': \(error.localizedDescription)")
            throw ExitCode(1)
        }
        let names = ((try? manager.contentsOfDirectory(atPath: lessons)) ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        if let clash = names.first(where: { Self.slugOf(fileName: $0) == slug }) {
            standardError("attn: \((lessons as NSString).appendingPathComponent(clash)) already has the slug '\(slug)' (its page is \(slug).html); choose another title")
            throw ExitCode(1)
        }
        let number = (names.compactMap(Self.numberOf(fileName:)).max() ?? 0) + 1
        let name = String(format: "%02d-%@.md", number, slug)
        let path = (lessons as NSString).appendingPathComponent(name)
        do {
            try Data(Self.scaffold(title: title).utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            standardError("attn: will not overwrite \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        print("created \(path)")
        print("preview it with:  attn serve --lessons \(lessons)")
    }

    /// "Why divide by √d_k?" → "why-divide-by-d-k": lowercase ASCII letters and digits,
    /// accents dropped, every other run of characters one dash.
    static func slug(_ title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var slug = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }

    static func numberOf(fileName: String) -> Int? {
        Int(fileName.prefix { $0.isASCII && $0.isNumber })
    }

    static func slugOf(fileName: String) -> String {
        var stem = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, stem.dropFirst(digits.count).hasPrefix("-") { stem = String(stem.dropFirst(digits.count + 1)) }
        return stem
    }

    /// YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func scaffold(title: String) -> String {
        """
        ---
        title: \(quoted(title))
        summary: One line that says what a student gets from this lesson.
        objectives:
          - Compute the attention weights of one query by hand
          - Say which token a query looks at most, and why
        ---

        ## A first example

        Replace this prose with your own. The worked example below follows the query *am*:
        its scores against every key, their scaling and softmax, and its context vector.

        ```attention
        name: first
        title: "I am good"
        focus: am
        decimals: 2
        tokens: [I, am, good]
        X: [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]
        W_Q: [[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]
        W_K: [[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]]
        W_V: [[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]]
        ```

        Prose cites computed numbers instead of typing them: *am* gives *good* the weight
        {{ first:alpha[am, good] }}, and keys have {{ first:d_k }} components.

        ```exercise
        question: How much weight does *am* give to *I*?
        hint: Take the row of *am* in the scaled scores, subtract its maximum, exponentiate, and divide by the sum.
        answer: first:alpha[am, I]
        ```

        """
    }
}
