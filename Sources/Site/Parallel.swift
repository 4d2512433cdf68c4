import AttentionEngine
import Foundation

/// `transform` applied to every element on all cores; results keep the input's order, so
/// the output is the same as a sequential map. Lessons are independent, so loading and
/// rendering them this way changes nothing but the time a build takes.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                           _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let threads = min(threads, items.count)
    guard threads > 1 else { return items.map(transform) }
    let results = Slots<R?>(count: items.count, initial: nil)
    let tasks = TaskCounter(count: items.count)
    let work: @Sendable () -> Void = {
        while let index = tasks.claim() { results[index] = transform(items[index]) }
    }
    let done = DispatchGroup()
    for _ in 1..<threads {
        done.enter()
        let thread = Thread { work(); done.leave() }
        thread.stackSize = 8 << 20   // as the main thread's: TeX and HTML trees recurse
        thread.start()
    }
    work()
    done.wait()
    return results.values.map { $0! }
}

/// Hands out task indices in order, each once.
private final class TaskCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    /// The next task's index, or nil when all are handed out.
    func claim() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
