import Diagnostics
import Foundation

/// A new lesson, `attn new "Title"`: the next `NN-slug.md` in the lessons folder, with
/// front matter, a small attention block, a trace reference and an exercise, which builds
/// as it is (also with `attn build --strict`). Never overwrites a file, and refuses a slug
/// another lesson already has.
public enum NewLesson {
    /// Writes the lesson for `title` into `folder` (created if missing); its path.
    public static func create(title: String, in folder: LessonsFolder) throws(Diagnostic) -> String {
        let slug = Self.slug(title)
        guard !slug.isEmpty else {
            throw Diagnostic("attn: the title '\(title)' has no ASCII letters or digits to make a file name from; write it with some (e.g. \"Masks\")", at: nil)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic("attn: cannot create the lessons folder '\(folder.path)': \(error.localizedDescription)", at: nil)
        }
        if let clash = folder.lessonFileName(named: slug, .slug) {
            throw Diagnostic("attn: \(folder.path(of: clash)) already has the slug '\(slug)' (its page is \(slug).html); choose another title", at: nil)
        }
        let name = String(format: "%02d-%@.md", folder.nextNumber(), slug)
        let path = folder.path(of: name)
        do {
            try Data(scaffold(title: title).utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw Diagnostic("attn: will not overwrite \(path): \(error.localizedDescription)", at: nil)
        }
        return path
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
