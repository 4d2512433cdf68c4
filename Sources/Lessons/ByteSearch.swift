#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Byte searches for the lesson reader's fast paths: most lessons' lines hold no `$`, `{`,
/// carriage return or byte-order mark, and skipping them at memchr speed instead of walking
/// a `String` view is what keeps `attn build` near the libcmark-gfm floor on the
/// 2,000-lesson benchmark (`make bench`). Without these the readers would be correct, only
/// slower. Internal to Lessons: nothing else needs them.
extension String {
    /// Whether the text's UTF-8 holds any of `bytes` (ASCII characters, or a lead byte such
    /// as 0xEF for U+FEFF): a scan of contiguous bytes.
    func containsUTF8(anyOf bytes: UInt8...) -> Bool {
        var text = self
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            // One memchr per byte: a few vectorized passes beat one byte-by-byte pass.
            return bytes.contains { memchr(base, Int32($0), buffer.count) != nil }
        }
    }

    /// Whether `needle`'s UTF-8 occurs in the text's, compared as bytes.
    func containsUTF8(_ needle: String) -> Bool {
        var (text, needle) = (self, needle)
        return text.withUTF8 { hay in needle.withUTF8 { pin in
            guard let first = pin.first else { return true }
            guard hay.count >= pin.count, let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
            let lastStart = hay.count - pin.count
            var offset = 0
            while offset <= lastStart, let hit = memchr(hayBase + offset, Int32(first), lastStart + 1 - offset) {
                let at = hayBase.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(hayBase + at, pinBase, pin.count) == 0 { return true }
                offset = at + 1
            }
            return false
        } }
    }
}
