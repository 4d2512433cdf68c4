import CCmarkGFM
import CmarkArena
import CmarkThreadSafety
import Foundation
import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Serializes parsing with libcmark-gfm when it cannot run in parallel (see `parsesInParallel`).
private let cmarkLock = NSLock()

/// `cmark_gfm_core_extensions_ensure_registered` is not thread-safe in Debian's build;
/// Swift initialises a global exactly once, under a lock, on first use.
private let coreExtensionsRegistered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
}()

/// The only code that touches libcmark-gfm. Every C pointer is created and freed inside
/// `withParsedDocument`; callers get Swift values only.
enum CmarkConverter {
    /// GFM extensions, attached by name to every parser.
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// - `CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES`: `style="text-align: …"`, since the W3C
    ///   validator rejects the obsolete `align` attribute.
    /// - `CMARK_OPT_VALIDATE_UTF8`: invalid sequences become U+FFFD (cannot happen for a
    ///   Swift `String`; kept as a guard since it is cheap).
    /// - `CMARK_OPT_UNSAFE` only on request. No `CMARK_OPT_SMART`: quotes stay as typed.
    static func cmarkOptions(_ options: MarkdownOptions) -> Int32 {
        var flags = CMARK_OPT_DEFAULT | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES | CMARK_OPT_VALIDATE_UTF8
        if options.allowRawHTML { flags |= CMARK_OPT_UNSAFE }
        return flags
    }

    /// A parser with `flags` and the GFM extensions attached, allocating with `memory`
    /// (libcmark-gfm's default allocator if nil). Every parser is made here, with the same
    /// extensions: pinning their special characters (`parsesInParallel`) relies on it.
    private static func makeParser(_ flags: Int32, memory: UnsafeMutablePointer<cmark_mem>? = nil) -> OpaquePointer {
        precondition(coreExtensionsRegistered)
        let made = memory.map { cmark_parser_new_with_mem(flags, $0) } ?? cmark_parser_new(flags)
        guard let parser = made else { fatalError("cmark_parser_new: out of memory") }
        for name in extensionNames {
            guard let syntaxExtension = cmark_find_syntax_extension(name) else {
                preconditionFailure("libcmark-gfm has no '\(name)' extension")
            }
            cmark_parser_attach_syntax_extension(parser, syntaxExtension)
        }
        return parser
    }

    /// Whether documents may be parsed on several threads at once. libcmark-gfm adds its
    /// extensions' characters to a process-wide table while it parses inlines and removes
    /// them when done, so parallel parsers corrupt each other (the many-threads determinism
    /// test caught it). `CmarkThreadSafety` intercepts those calls; once it has pinned
    /// the characters (every parser here attaches the same extensions, so the table's right
    /// contents never change), no parser writes shared state. A first parse, alone, shows
    /// whether libcmark-gfm's calls reach the interceptor; if they do not (a build that does
    /// not export its symbol), every parse takes `cmarkLock` instead.
    static let parsesInParallel: Bool = cmarkLock.withLock {
        let parser = makeParser(cmarkOptions(.safe))
        defer { cmark_parser_free(parser) }
        let probe = "~~a~~ www.example.com\n"
        cmark_parser_feed(parser, probe, probe.utf8.count)
        if let document = cmark_parser_finish(parser) { cmark_node_free(document) }
        guard attn_cmark_special_characters_intercepted() > 0 else { return false }
        return attn_cmark_pin_special_characters(UnsafeMutableRawPointer(parser)) == 1
    }

    /// The whole C round trip: create a parser with `options` and the GFM extensions,
    /// feed `text`, finish, hand the document node to `body`, then let go of the document
    /// and the parser. `body` must not let any pointer escape, nor parse another document.
    ///
    /// Everything libcmark-gfm allocates for the document (parser, nodes, rendered HTML)
    /// comes from the thread's arena (`CmarkArena`), released in one step at the end
    /// instead of block by block.
    private static func withParsedDocument<Result>(
        _ text: String, options: MarkdownOptions,
        _ body: (_ document: OpaquePointer, _ render: (OpaquePointer) -> String) -> Result
    ) -> Result {
        let flags = cmarkOptions(options)
        guard let arena = attn_cmark_arena() else {
            preconditionFailure("a markdown document was parsed while another was being walked on the same thread")
        }
        defer { attn_cmark_arena_reset() }
        let parser = makeParser(flags, memory: arena)
        var text = text
        func parse() -> OpaquePointer? {
            text.withUTF8 { bytes in
                guard let base = bytes.baseAddress, bytes.count > 0 else { return }
                cmark_parser_feed(parser, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), bytes.count)
            }
            return cmark_parser_finish(parser)
        }
        let parsed = parsesInParallel ? parse() : cmarkLock.withLock { parse() }
        guard let document = parsed else { fatalError("cmark_parser_finish: out of memory") }
        let extensions = cmark_parser_get_syntax_extensions(parser)
        return body(document) { node in
            // The HTML is in the arena too: copied out here, released with the rest.
            guard let html = cmark_render_html(node, flags, extensions) else {
                fatalError("cmark_render_html: out of memory")
            }
            return String(cString: html)
        }
    }

    /// `text` rendered in one `cmark_render_html` call on the document node.
    static func documentHTML(of text: String, options: MarkdownOptions) -> RenderedHTML {
        withParsedDocument(text, options: options) { document, render in
            RenderedHTML(render(document))
        }
    }

    /// The top-level blocks of `text`, each rendered on its own.
    static func blocks(of text: String, path: String, options: MarkdownOptions) -> [MarkdownBlock] {
        withParsedDocument(text, options: options) { document, render in
            let lines = SourceLines(text)
            var blocks: [MarkdownBlock] = []
            var child = cmark_node_first_child(document)
            while let node = child {
                let next = cmark_node_next(node)
                let type = cmark_node_get_type(node)
                let startLine = Int(cmark_node_get_start_line(node))
                let endLine = lines.lastNonBlankLine(
                    from: startLine,
                    // cmark reports one line too few for an HTML block closed by its end
                    // condition (`</script>`, `-->`, …) and counts trailing blank lines
                    // into lists and setext headings; the source settles it.
                    through: min(Int(cmark_node_get_end_line(node)) + (type == CMARK_NODE_HTML_BLOCK ? 1 : 0),
                                 next.map { Int(cmark_node_get_start_line($0)) - 1 } ?? lines.count))
                let inlines = InlineText(of: node, wantsPlainText: type == CMARK_NODE_HEADING, wantsProse: options.collectsProse)
                let kind: MarkdownBlock.Kind
                switch type {
                case CMARK_NODE_HEADING:
                    kind = .heading(level: Int(cmark_node_get_heading_level(node)), text: inlines.plain)
                case CMARK_NODE_PARAGRAPH:
                    kind = .paragraph
                case CMARK_NODE_CODE_BLOCK:
                    var fenceLength: Int32 = 0, fenceOffset: Int32 = 0, fenceCharacter: CChar = 0
                    if cmark_node_get_fenced(node, &fenceLength, &fenceOffset, &fenceCharacter) != 0 {
                        let isClosed = endLine > startLine
                            && lines.isClosingFence(line: endLine, character: UInt8(bitPattern: fenceCharacter),
                                                    length: Int(fenceLength))
                        kind = .fencedCode(FencedCode(
                            info: string(cmark_node_get_fence_info(node)),
                            literal: string(cmark_node_get_literal(node)),
                            contentStartLine: startLine + 1, isClosed: isClosed))
                    } else {
                        kind = .other(string(cmark_node_get_type_string(node)))
                    }
                default:
                    kind = .other(string(cmark_node_get_type_string(node)))
                }
                blocks.append(MarkdownBlock(
                    kind: kind,
                    // cmark counts columns in bytes, including a byte-order mark (3 bytes,
                    // invisible in editors, so not counted here). Otherwise only spaces and
                    // tabs precede a top-level block, so bytes are also Unicode scalars.
                    location: SourceLocation(
                        path: path, line: startLine,
                        column: Int(cmark_node_get_start_column(node))
                            - (startLine == 1 && lines.startsWithByteOrderMark ? 3 : 0)),
                    endLine: endLine,
                    html: RenderedHTML(render(node)),
                    prose: inlines.prose))
                child = next
            }
            return blocks
        }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// The text of a block's inline nodes, gathered in one walk of its subtree. Text is
    /// collected as UTF-8 bytes and turned into `String`s once per run.
    private struct InlineText {
        /// Text and code spans, markup dropped: a heading's plain text (only if asked for).
        var plain = ""
        /// Runs of text, split at code spans, raw HTML and block boundaries.
        var prose: [String] = []

        init(of block: OpaquePointer, wantsPlainText: Bool, wantsProse: Bool) {
            switch cmark_node_get_type(block) {
            case CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK: return
            default: break
            }
            guard wantsPlainText || wantsProse else { return }
            guard let iterator = cmark_iter_new(block) else { return }
            defer { cmark_iter_free(iterator) }
            var run: [UInt8] = [], plain: [UInt8] = []
            run.reserveCapacity(256)
            func endRun() {
                if !run.isEmpty { prose.append(String(decoding: run, as: UTF8.self)) }
                run.removeAll(keepingCapacity: true)
            }
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                switch type {
                case CMARK_NODE_TEXT:
                    guard let literal = cmark_node_get_literal(node) else { break }
                    let bytes = UnsafeRawBufferPointer(start: literal, count: strlen(literal))
                    run.append(contentsOf: bytes)
                    if wantsPlainText { plain.append(contentsOf: bytes) }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    run.append(UInt8(ascii: " "))
                    if wantsPlainText { plain.append(UInt8(ascii: " ")) }
                case CMARK_NODE_CODE:
                    if wantsPlainText, let literal = cmark_node_get_literal(node) {
                        plain.append(contentsOf: UnsafeRawBufferPointer(start: literal, count: strlen(literal)))
                    }
                    endRun()
                case CMARK_NODE_HTML_INLINE, CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK:
                    endRun()
                default:
                    // Entering or leaving any block (item, cell, paragraph, …) ends a run;
                    // inline containers (emphasis, links, strikethrough) do not.
                    if Int32(type.rawValue) & CMARK_NODE_TYPE_MASK == CMARK_NODE_TYPE_BLOCK { endRun() }
                }
            }
            endRun()
            if !wantsProse { prose = [] }
            if wantsPlainText { self.plain = String(decoding: plain, as: UTF8.self) }
        }
    }
}

extension FencedCode {
    init(info: String, literal: String, contentStartLine: Int, isClosed: Bool) {
        let trimmed = info.drop { $0 == " " || $0 == "\t" }
        let name = trimmed.prefix { $0 != " " && $0 != "\t" }
        let rest = trimmed.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
        var arguments = Substring(rest)
        while let last = arguments.last, last == " " || last == "\t" { arguments.removeLast() }
        self.init(info: info, name: String(name), arguments: String(arguments),
                  literal: literal, contentStartLine: contentStartLine, isClosed: isClosed)
    }
}

/// Line lookup in the source text, with cmark's line endings (`\n`, `\r\n`, `\r`).
/// Used to check what cmark's end lines cannot say: where a block really ends and
/// whether a fence was closed.
struct SourceLines {
    private let bytes: [UInt8]
    /// Byte offset where each line starts; line `n` starts at `starts[n - 1]`.
    private let starts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            if memchr(base, Int32(UInt8(ascii: "\r")), count) == nil {
                // The usual case: `\n` only, found by memchr.
                var offset = 0
                while offset < count, let newline = memchr(base + offset, Int32(UInt8(ascii: "\n")), count - offset) {
                    offset = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                    starts.append(offset)
                }
            } else {
                var i = 0
                while i < count {
                    if buffer[i] == UInt8(ascii: "\r"), i + 1 < count, buffer[i + 1] == UInt8(ascii: "\n") { i += 1 }
                    if buffer[i] == UInt8(ascii: "\n") || buffer[i] == UInt8(ascii: "\r") { starts.append(i + 1) }
                    i += 1
                }
            }
        }
        self.starts = starts
    }

    var startsWithByteOrderMark: Bool { bytes.starts(with: [0xEF, 0xBB, 0xBF]) }

    /// The number of lines (a final line ending does not start another line).
    var count: Int { starts.count - (starts.last == bytes.count && bytes.count > 0 ? 1 : 0) }

    /// The last line in `first...last` that is not blank (only spaces and tabs), or
    /// `first` if all are blank.
    func lastNonBlankLine(from first: Int, through last: Int) -> Int {
        var n = last
        while n > first, line(n).allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { n -= 1 }
        return max(n, first)
    }

    /// The bytes of line `n` (1-based) without its line ending; empty past the end.
    func line(_ n: Int) -> ArraySlice<UInt8> {
        guard n >= 1, n <= starts.count else { return [] }
        var end = n < starts.count ? starts[n] : bytes.count
        while end > starts[n - 1], bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return bytes[starts[n - 1]..<end]
    }

    /// Whether line `n` closes a fence of `length` × `character`: up to 3 spaces, at least
    /// `length` fence characters, then only spaces and tabs (CommonMark §4.5).
    func isClosingFence(line n: Int, character: UInt8, length: Int) -> Bool {
        var rest = line(n)
        let indent = rest.prefix { $0 == UInt8(ascii: " ") }.count
        guard indent <= 3 else { return false }
        rest = rest.dropFirst(indent)
        let fence = rest.prefix { $0 == character }.count
        guard fence >= max(length, 3) else { return false }
        return rest.dropFirst(fence).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}
