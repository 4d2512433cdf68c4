import Diagnostics

/// HTML produced by libcmark-gfm. Only this module can create one (the initialiser is
/// internal), so a value of this type is the "trusted raw HTML" that the page builder may
/// insert without escaping. Text that did not come out of cmark must go through the
/// escaping serializer instead.
public struct RenderedHTML: Hashable, Sendable, CustomStringConvertible {
    public let html: String

    init(_ html: String) { self.html = html }

    public var description: String { html }
}

/// How markdown is parsed and rendered. Every cmark option is chosen here and in
/// `CmarkConverter.cmarkOptions`; nothing else in attn passes options to cmark.
public struct MarkdownOptions: Hashable, Sendable {
    /// Let raw HTML through (`CMARK_OPT_UNSAFE`), an instructor opt-in. Off by default:
    /// raw HTML is then replaced by `<!-- raw HTML omitted -->` and `javascript:` links are
    /// emptied. Even when on, the GFM tag filter still disarms `<script>`, `<style>`,
    /// `<iframe>`, `<textarea>`, `<title>`, `<xmp>`, `<noembed>`, `<noframes>` and
    /// `<plaintext>` (rendered as `&lt;script>` and so on).
    public var allowRawHTML: Bool
    /// Keep each block's prose (`MarkdownBlock.prose`) for checkers that read the text. On by
    /// default; a build that runs no such check turns it off and skips the walk it costs.
    public var collectsProse: Bool

    public init(allowRawHTML: Bool = false, collectsProse: Bool = true) {
        self.allowRawHTML = allowRawHTML
        self.collectsProse = collectsProse
    }

    /// Raw HTML omitted. The default.
    public static let safe = MarkdownOptions()
}

/// A markdown file as its ordered list of top-level blocks, each rendered on its own.
///
/// Parsing never fails: every string is some markdown. A NUL character is replaced by
/// U+FFFD, as CommonMark requires. Invalid UTF-8 cannot reach this type (a Swift `String`
/// is always valid); read files with `MarkdownDocument.decode(_:path:)` to get a
/// `Diagnostic` pointing at the bad byte instead of a silently repaired text.
public struct MarkdownDocument: Hashable, Sendable {
    /// The path given to `parse`, used in every block's `location`.
    public let path: String
    /// The top-level blocks in document order. Blocks nested in lists, block quotes or
    /// tables are part of their container's block, not listed here.
    public let blocks: [MarkdownBlock]

    /// Parses `text` and renders each top-level block with `cmark_render_html`.
    public static func parse(_ text: String, path: String,
                             options: MarkdownOptions = .safe) -> MarkdownDocument {
        MarkdownDocument(path: path,
                         blocks: CmarkConverter.blocks(of: text, path: path, options: options))
    }

    /// All blocks' HTML, in order: the same string as rendering the whole document at once.
    public var html: RenderedHTML {
        RenderedHTML(blocks.map(\.html.html).joined())
    }

    /// Renders a whole markdown text in one `cmark_render_html` call, with the same
    /// options as `parse`. For snippets that need no per-block treatment.
    public static func renderHTML(_ text: String, options: MarkdownOptions = .safe) -> RenderedHTML {
        CmarkConverter.documentHTML(of: text, options: options)
    }

    /// Renders a one-paragraph fragment as inline HTML, without the `<p>` wrapper:
    /// `"a *b*"` becomes `a <em>b</em>`. Empty (or blank) text gives empty HTML; text
    /// that is not exactly one paragraph (a heading, a list, two paragraphs, …) gives nil.
    public static func renderInline(_ fragment: String,
                                    options: MarkdownOptions = .safe) -> RenderedHTML? {
        let blocks = CmarkConverter.blocks(of: fragment, path: "", options: options)
        if blocks.isEmpty { return RenderedHTML("") }
        guard blocks.count == 1, blocks[0].kind == .paragraph else { return nil }
        return blocks[0].inlineHTML
    }
}

/// One top-level block of a markdown file.
public struct MarkdownBlock: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// An ATX (`## Title`) or setext heading: level 1–6 and its plain text (text and
        /// code spans, markup and raw HTML dropped, line breaks as spaces).
        case heading(level: Int, text: String)
        case paragraph
        /// A fenced code block (```` ``` ```` or `~~~`). Indented code blocks are `.other("code_block")`.
        case fencedCode(FencedCode)
        /// Anything else, by cmark's type name: `list`, `block_quote`, `table`,
        /// `html_block`, `thematic_break`, `code_block` (indented code), …
        case other(String)
    }

    public let kind: Kind
    /// Where the block starts: `path:line:column`, 1-based.
    public let location: SourceLocation
    /// The last line of the block (the closing fence's line for a closed fenced block).
    public let endLine: Int
    /// This block alone, rendered by `cmark_render_html` (ends with a newline).
    public let html: RenderedHTML
    /// The block's prose: maximal runs of text, with code spans, code blocks and raw HTML
    /// left out. A new run starts after each left-out span and at each nested block
    /// (list item, table cell, …). Soft and hard line breaks count as one space. Link text
    /// and image descriptions are prose; URLs are not. Empty for code and HTML blocks.
    /// Lets a checker find numbers typed in prose but not those in code. Empty when
    /// `MarkdownOptions.collectsProse` is off.
    public let prose: [String]

    /// The inline content of a paragraph or heading, without its `<p>` / `<hN>` wrapper:
    /// what a page builder needs to re-wrap a heading with an `id`. Nil for other blocks.
    public var inlineHTML: RenderedHTML? {
        let (open, close): (String, String)
        switch kind {
        case .paragraph: (open, close) = ("<p>", "</p>\n")
        case .heading(let level, _): (open, close) = ("<h\(level)>", "</h\(level)>\n")
        default: return nil
        }
        let html = html.html
        guard html.hasPrefix(open), html.hasSuffix(close),
              html.utf8.count >= open.utf8.count + close.utf8.count else { return nil }
        return RenderedHTML(String(html.dropFirst(open.count).dropLast(close.count)))
    }
}

/// A fenced code block, e.g.
///
///     ```attention  seed=3
///     d_model: 4
///     ```
///
/// has `name` "attention", `arguments` "seed=3", `literal` "d_model: 4\n".
public struct FencedCode: Hashable, Sendable {
    /// The info string, as cmark gives it: trimmed, backslash escapes and entities decoded.
    public let info: String
    /// The info string's first word: a language (`python`) or a directive (`attention`,
    /// `exercise`). Empty when there is no info string.
    public let name: String
    /// The rest of the info string after the first word, trimmed. Often empty.
    public let arguments: String
    /// The content between the fences, each line ending with a newline (empty if none).
    public let literal: String
    /// The line of the markdown file where `literal` starts (the line after the opening
    /// fence). A line `n` of `literal` (1-based) is line `contentStartLine + n - 1` of the
    /// file; `SourceLocation.shifted(intoFile:startingAtLine:column:)` does this mapping.
    public let contentStartLine: Int
    /// False when the file ended before a closing fence (cmark then closes the block at
    /// the end of the file, so `literal` runs to the end).
    public let isClosed: Bool

    public init(info: String, name: String, arguments: String, literal: String,
                contentStartLine: Int, isClosed: Bool) {
        self.info = info
        self.name = name
        self.arguments = arguments
        self.literal = literal
        self.contentStartLine = contentStartLine
        self.isClosed = isClosed
    }
}
