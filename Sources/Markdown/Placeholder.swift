#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// attn's placeholders, the one owner of their encoding. Math and trace references in a
/// lesson are cut out of the markdown before cmark-gfm parses it and replaced by a
/// placeholder: U+E000, the span's number in decimal digits, U+E001 (two Private Use Area
/// characters, which cmark passes through untouched). After rendering, each placeholder
/// is put back as its MathML or number. A lesson may not contain the two characters
/// itself (`isReserved`).
public enum Placeholder {
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"

    /// The text that stands for span `index`.
    public static func text(for index: Int) -> String {
        "\(open)\(index)\(close)"
    }

    /// Whether a scalar is one of the two placeholder characters.
    public static func isReserved(_ scalar: Unicode.Scalar) -> Bool {
        scalar == open || scalar == close
    }

    /// Whether `text` may hold a placeholder: its UTF-8 holds 0xEE, the lead byte of both
    /// characters. A scan of contiguous bytes (memchr), so that the many blocks and pages
    /// without math or references skip the decoders at once (the 2,000-lesson build
    /// benchmark, `make bench`, is where this shows).
    public static func mayOccur(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0xEE, buffer.count) != nil
        }
    }

    /// A piece of a text cut at its placeholders.
    public enum Piece<Text: Sendable>: Sendable {
        case text(Text)
        case placeholder(Int)
    }

    /// Plain text cut at its placeholders. A lone or malformed placeholder character stays
    /// text.
    public static func split(_ text: String) -> [Piece<String>] {
        guard mayOccur(in: text) else { return [.text(text)] }
        return pieces(of: text).map { piece in
            switch piece {
            case .text(let range): return .text(String(text.unicodeScalars[range]))
            case .placeholder(let index): return .placeholder(index)
            }
        }
    }

    /// HTML rendered by cmark cut at its placeholders: the pieces between them are still
    /// cmark's output, so they stay `RenderedHTML`.
    public static func split(_ html: RenderedHTML) -> [Piece<RenderedHTML>] {
        guard mayOccur(in: html.html) else { return [.text(html)] }
        return pieces(of: html.html).map { piece in
            switch piece {
            case .text(let range): return .text(RenderedHTML(String(html.html.unicodeScalars[range])))
            case .placeholder(let index): return .placeholder(index)
            }
        }
    }

    /// The placeholders in rendered HTML, sorted by where they ended up: in text (where
    /// they can be replaced) or inside a tag (an attribute, where cmark put a span that
    /// was part of a link's address or title, say).
    public static func occurrences(in html: RenderedHTML) -> (inText: Set<Int>, inTags: Set<Int>) {
        var inText: Set<Int> = [], inTags: Set<Int> = []
        guard mayOccur(in: html.html) else { return (inText, inTags) }
        var insideTag = false
        var scalars = html.html.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "<": insideTag = true
            case ">": insideTag = false
            case open:
                let digits = scalars.prefix { ("0"..."9").contains($0) }
                scalars = scalars.dropFirst(digits.count)
                if let index = Int(String(String.UnicodeScalarView(digits))) {
                    if insideTag { inTags.insert(index) } else { inText.insert(index) }
                }
            default: break
            }
        }
        return (inText, inTags)
    }

    /// The one decoder: ranges of text between placeholders, and the placeholders' numbers.
    static func pieces(of text: String) -> [Piece<Range<String.UnicodeScalarView.Index>>] {
        let scalars = text.unicodeScalars
        var out: [Piece<Range<String.UnicodeScalarView.Index>>] = []
        var start = scalars.startIndex
        var i = scalars.startIndex
        while let opening = scalars[i...].firstIndex(of: open) {
            let digitsStart = scalars.index(after: opening)
            guard let closing = scalars[digitsStart...].firstIndex(where: { !("0"..."9").contains($0) }),
                  scalars[closing] == close, closing > digitsStart,
                  let index = Int(String(scalars[digitsStart..<closing])) else {
                i = digitsStart
                continue
            }
            if start < opening { out.append(.text(start..<opening)) }
            out.append(.placeholder(index))
            start = scalars.index(after: closing)
            i = start
        }
        if start < scalars.endIndex { out.append(.text(start..<scalars.endIndex)) }
        return out
    }
}
