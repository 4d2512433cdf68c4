import Foundation
import TraceFormat

/// A line of progress on standard error for work that takes a while ("tracing 2,048
/// tokens… (12 s)"), redrawn in place every second while the work runs, and wiped by
/// `clear` so that what follows starts on a clean line. Only when standard
/// error is a terminal: piped or redirected runs, and the tests, see nothing of it.
public final class StatusLine: @unchecked Sendable {
    private let lock = NSLock()
    private var message = ""
    private var started = Date()
    private var running = false
    private let enabled: Bool

    public init(enabled: Bool = StandardError.isTerminal) {
        self.enabled = enabled
    }

    /// Shows `message` with the seconds since this call, until the next `show` or `clear`.
    public func show(_ message: String) {
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
    public func clear() {
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
