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
enum StandardOutput {
    static var isTerminal: Bool { isatty(1) == 1 }

    static func write(_ text: String) throws(Diagnostic) {
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
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(TerminalText.message(text).utf8))
    }

    static var isTerminal: Bool { isatty(2) == 1 }
}

/// A line of progress on standard error for work that takes a while ("tracing 2,048
/// tokens… (12 s)"), redrawn in place every second while the work runs, and wiped by
/// `clear` so that what follows starts on a clean line. Only when standard
/// error is a terminal: piped or redirected runs, and the tests, see nothing of it.
final class StatusLine: @unchecked Sendable {
    private let lock = NSLock()
    private var message = ""
    private var started = Date()
    private var running = false
    private let enabled: Bool

    init(enabled: Bool = StandardError.isTerminal) {
        self.enabled = enabled
    }

    /// Shows `message` with the seconds since this call, until the next `show` or `clear`.
    func show(_ message: String) {
        guard enabled else { return }
        lock.lock()
        self.message = message
        started = Date()
        let start = !running
        running = true
        lock.unlock()
        draw()
        if start {
            Thread.detachNewThread { [weak self] in
                while let self, self.isRunning {
                    Thread.sleep(forTimeInterval: 1)
                    self.draw()
                }
            }
        }
    }

    /// Removes the line (before the command's own output or messages).
    func clear() {
        guard enabled else { return }
        lock.lock()
        running = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        lock.unlock()
    }

    private var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }

    private func draw() {
        lock.lock(); defer { lock.unlock() }
        guard running else { return }
        let seconds = Int(Date().timeIntervalSince(started))
        let time = seconds >= 1 ? " (\(seconds) s)" : ""
        FileHandle.standardError.write(Data("\r\u{1B}[K\(TerminalText.escaped(message))…\(time)".utf8))
    }
}

/// `12345678` → `12,345,678`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// `3_500_000_000` → `3.5 GB`.
func byteSize(_ n: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB"]
    var value = Double(n)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
    return unit == 0 ? "\(n) bytes" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
}
