import Foundation

/// Runs a program with a time limit, keeping the first 256 KiB of its output.
enum ChildProcess {
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        var description: String {
            switch self {
            case .exited(let code): return "exit status \(code)"
            case .signalled(let signal): return "signal \(signal)"
            case .timedOut: return "timed out"
            }
        }
    }

    struct Run {
        let ending: Ending
        let stdout: String
        let stderr: String
    }

    static let limit = 256 * 1024

    static func run(_ url: URL, _ arguments: [String], timeout: Double, environment extra: [String: String] = [:]) -> Run {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // A crash prints a short stack trace (the crashed thread, with file:line), which
        // `crashPlace` reads; no colours, no prompts, no registers.
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,sanitize=no"
        environment.merge(extra) { $1 }
        process.environment = environment
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let (stdout, stderr) = (Capture(), Capture())
        let readers = DispatchGroup()
        do {
            try process.run()
        } catch {
            return Run(ending: .exited(127), stdout: "", stderr: "cannot start \(url.path): \(error.localizedDescription)")
        }
        stdout.drain(out.fileHandleForReading, in: readers)
        stderr.drain(err.fileHandleForReading, in: readers)
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        readers.wait()
        let ending: Ending = timedOut ? .timedOut
            : process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return Run(ending: ending, stdout: stdout.text, stderr: stderr.text)
    }

    /// Reads a pipe to its end on another thread, keeping at most `limit` bytes, so that a
    /// child that prints without end can neither block on a full pipe nor fill memory.
    final class Capture: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()

        func drain(_ handle: FileHandle, in group: DispatchGroup) {
            group.enter()
            Thread.detachNewThread {
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    self.lock.lock()
                    if self.data.count < ChildProcess.limit { self.data.append(chunk.prefix(ChildProcess.limit - self.data.count)) }
                    self.lock.unlock()
                }
                group.leave()
            }
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
