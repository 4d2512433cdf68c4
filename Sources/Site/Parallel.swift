import Foundation

/// `transform` applied to every element on all cores; results keep the input's order, so
/// the output is the same as a sequential map. Lessons are independent, so loading and
/// rendering them this way changes nothing but the time a build takes.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                           _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let threads = min(threads, items.count)
    guard threads > 1 else { return items.map(transform) }
    let tasks = Tasks<R>(count: items.count)
    let work: @Sendable () -> Void = {
        while let index = tasks.claim() { tasks.finish(index, transform(items[index])) }
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
    return tasks.results
}

/// Hands out task indices in order, each once, and keeps each task's result. One lock for
/// both: a lesson takes far longer than taking the lock twice.
private final class Tasks<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done: [R?]

    init(count: Int) { done = Array(repeating: nil, count: count) }

    /// The next task's index, or nil when all are handed out.
    func claim() -> Int? {
        lock.withLock {
            guard next < done.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func finish(_ index: Int, _ result: R) {
        lock.withLock { done[index] = result }
    }

    /// Read once every task has finished.
    var results: [R] { lock.withLock { done.map { $0! } } }
}
