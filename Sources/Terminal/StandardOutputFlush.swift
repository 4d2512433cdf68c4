#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

extension StandardOutput {
    /// Flushes what `print` buffered; the reason if that, or an earlier buffered write, failed.
    /// (A file of its own: C's `stdout` is a global that only a `@preconcurrency` import
    /// lets Swift 6 read, and the rest of the tool should keep the strict checks.)
    public static func flush() -> String? {
        if fflush(stdout) != 0 { return String(cString: strerror(errno)) }
        if ferror(stdout) != 0 { return "a write to standard output failed" }
        return nil
    }
}
