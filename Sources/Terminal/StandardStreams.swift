import Diagnostics
import Foundation
import TraceFormat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output that reports a failed write (a full disk, `> /dev/full`, a closed pipe)
/// as an error instead of losing the output silently. `print` ignores such failures.
public enum StandardOutput {
    public static var isTerminal: Bool { isatty(1) == 1 }

    public static func write(_ text: String) throws(Diagnostic) {
        var failure: Int32 = 0
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure != 0 {
            throw Diagnostic("attn: cannot write the output: \(String(cString: strerror(failure)))", at: nil)
        }
    }
}

/// Standard error, for messages: control characters in them (from token labels, say) are
/// shown as escapes, never sent to the terminal raw.
public enum StandardError {
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data(TerminalText.message(text).utf8))
    }

    public static var isTerminal: Bool { isatty(2) == 1 }
}

/// A line on standard error as it is (no escapes), unbuffered.
public func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// A line on standard output, unbuffered (a test or a pipe sees it at once).
public func standardOutput(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
