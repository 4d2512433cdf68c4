import Diagnostics
import Foundation
import HTML
import Lessons
import Markdown

/// `attn build --strict`: the checks that a course is finished, on top of those every build
/// makes. Each finding is an error at `file:line:column` (docs/authoring.md, "Strict builds"):
///
/// - a front-matter key attn does not use (a warning in other builds);
/// - a lesson without exercises (objectives are required in every build);
/// - a link to a lesson (`NN-slug.md`, `slug.html`, `slug.html#anchor`, `#anchor`) whose
///   page or anchor does not exist in the built site;
/// - a focus token that is never explained: its label must appear in the prose (code left
///   out) of the `##` section that holds the block, or in the block's title.
enum StrictChecks {
    static func diagnostics(lessons: [Lesson], pages: [RenderedPage]) -> [Diagnostic] {
        let ids = Dictionary(uniqueKeysWithValues: pages.filter { $0.fileName.hasSuffix(".html") }.map { ($0.fileName, $0.anchors ?? []) })
        var found: [Diagnostic] = []
        for lesson in lessons {
            found += unusedKeys(lesson)
            if lesson.exercises.isEmpty {
                found.append(Diagnostic("this lesson has no exercises: add an ```exercise block (strict builds need at least one per lesson)",
                                        at: SourceLocation(path: lesson.path, line: 1, column: 1)))
            }
            found += links(lesson, lessons: lessons, anchors: ids)
            found += unexplainedFocus(lesson)
        }
        return found
    }

    static func unusedKeys(_ lesson: Lesson) -> [Diagnostic] {
        lesson.frontMatter.unusedKeys.map {
            Diagnostic("front matter key '\($0.key)' is not used: the keys are title, summary, objectives and order", at: $0.location)
        }
    }

    // MARK: Links

    /// Every `id` of a page, read from its node tree. cmark's HTML is text to the tree: raw
    /// HTML (with `--allow-raw-html`) may hold ids, found there by `ids(inMarkup:)`.
    static func anchors(in page: Document) -> Set<String> {
        Set(page.root.ids(inTrustedHTML: ids(inMarkup:)))
    }

    /// Every `id="…"` in markup.
    static func ids(inMarkup html: String) -> [String] {
        var ids: [String] = []
        var rest = html[...]
        while let start = rest.range(of: " id=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            ids.append(unescape(String(rest[..<end])))
            rest = rest[end...]
        }
        return ids
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Inline links `[text](target)` in the lesson's markdown (not in code), checked
    /// against the pages and their anchors. Links with a scheme or an absolute path, and
    /// links to other files (images, …), are left alone.
    static func links(_ lesson: Lesson, lessons: [Lesson], anchors: [String: Set<String>]) -> [Diagnostic] {
        guard let data = FileManager.default.contents(atPath: lesson.path), let text = String(data: data, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let page = LessonPage.fileName(lesson)
        var found: [Diagnostic] = []
        for case .markdown(let block) in lesson.blocks {
            switch block.kind {
            case .fencedCode, .other("code_block"), .other("html_block"): continue
            default: break
            }
            for lineNumber in block.location.line...max(block.location.line, block.endLine) where lineNumber <= lines.count {
                for (target, column) in linkTargets(lines[lineNumber - 1]) {
                    let location = SourceLocation(path: lesson.path, line: lineNumber, column: column)
                    if let message = problem(with: target, from: page, lessons: lessons, anchors: anchors) {
                        found.append(Diagnostic(message, at: location))
                    }
                }
            }
        }
        return found
    }

    /// The targets of `](target)` on one line, with their 1-based columns (Unicode
    /// scalars), code spans blanked out first.
    static func linkTargets(_ line: String) -> [(String, Int)] {
        var scalars = Array(line.unicodeScalars)
        // Blank code spans (`…`), keeping columns.
        var i = 0
        while i < scalars.count {
            if scalars[i] == "`" {
                var run = 0
                while i + run < scalars.count, scalars[i + run] == "`" { run += 1 }
                var j = i + run
                var close: Int?
                while j < scalars.count {
                    if scalars[j] == "`" {
                        var other = 0
                        while j + other < scalars.count, scalars[j + other] == "`" { other += 1 }
                        if other == run { close = j; break }
                        j += other
                    } else { j += 1 }
                }
                guard let close else { i += run; continue }
                for k in i..<(close + run) { scalars[k] = " " }
                i = close + run
            } else { i += 1 }
        }
        var targets: [(String, Int)] = []
        i = 0
        while i + 1 < scalars.count {
            if scalars[i] == "]", scalars[i + 1] == "(" {
                var j = i + 2
                while j < scalars.count, scalars[j] == " " { j += 1 }
                let start = j
                let angled = j < scalars.count && scalars[j] == "<"
                if angled { j += 1 }
                while j < scalars.count, !(angled ? scalars[j] == ">" : (scalars[j] == ")" || scalars[j] == " ")) { j += 1 }
                let target = String(String.UnicodeScalarView(scalars[(angled ? start + 1 : start)..<j]))
                if !target.isEmpty { targets.append((target, start + 1)) }
                i = j
            } else { i += 1 }
        }
        return targets
    }

    static func problem(with target: String, from page: String, lessons: [Lesson], anchors: [String: Set<String>]) -> String? {
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let file = parts[0]
        let anchor = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : nil
        if file.hasPrefix("/") || file.contains(":") || file.contains("/") { return nil }   // not a link between lessons
        let targetPage: String
        if file.isEmpty {
            targetPage = page
        } else if file.hasSuffix(".md") {
            if let lesson = lessons.first(where: { ($0.path as NSString).lastPathComponent == file }) {
                return "broken link '\(target)': the site has no .md files; link to the lesson's page, '\(LessonPage.fileName(lesson))\(anchor.map { "#" + $0 } ?? "")'"
            }
            return "broken link '\(target)': there is no lesson file '\(file)'" + suggestion(file, lessons.map { ($0.path as NSString).lastPathComponent })
        } else if file.hasSuffix(".html") {
            guard anchors[file] != nil else {
                return "broken link '\(target)': there is no page '\(file)'" + suggestion(file, anchors.keys.sorted())
            }
            targetPage = file
        } else {
            return nil
        }
        if let anchor, !anchor.isEmpty, let ids = anchors[targetPage], !ids.contains(anchor) {
            return "broken link '\(target)': \(targetPage) has no anchor '#\(anchor)'" + suggestion(anchor, ids.sorted())
        }
        return nil
    }

    static func suggestion(_ word: String, _ candidates: [String]) -> String {
        nearest(to: word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    // MARK: Focus

    /// A block's focus token must be named in the prose of its `##` section (or its title).
    static func unexplainedFocus(_ lesson: Lesson) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var sections: [[LessonBlock]] = [[]]
        for block in lesson.blocks {
            if case .markdown(let markdown) = block, case .heading(let level, _) = markdown.kind, level <= 2 { sections.append([]) }
            sections[sections.count - 1].append(block)
        }
        for section in sections {
            let prose = section.compactMap { block -> String? in
                if case .markdown(let markdown) = block { return markdown.prose.joined(separator: " ") }
                return nil
            }.joined(separator: " ")
            for case .attention(let index) in section {
                let block = lesson.attentionBlocks[index]
                guard let focus = block.focus else { continue }
                let label = block.spec.tokens[focus]
                if mentions(prose, label) || mentions(block.title ?? "", label) { continue }
                found.append(Diagnostic("focus token '\(label)' is never explained: name it in the prose of this section, "
                    + "outside code (strict builds check that the text says what the worked example looks at)", at: block.location))
            }
        }
        return found
    }

    /// Whether `text` holds `label`; an ASCII word must stand alone (`a` is not in `cat`).
    static func mentions(_ text: String, _ label: String) -> Bool {
        guard !label.isEmpty else { return true }
        func isWordScalar(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) }
        let word = label.unicodeScalars.allSatisfy(isWordScalar)
        var rest = text[...]
        while let range = rest.range(of: label) {
            if !word { return true }
            let before = range.lowerBound > text.startIndex ? text.unicodeScalars[text.unicodeScalars.index(before: range.lowerBound)] : nil
            let after = range.upperBound < text.endIndex ? text.unicodeScalars[range.upperBound] : nil
            if !(before.map(isWordScalar) ?? false), !(after.map(isWordScalar) ?? false) { return true }
            rest = text[range.upperBound...]
        }
        return false
    }
}
