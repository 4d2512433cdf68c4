import Foundation

/// `transform` applied to every element on all cores; results keep the input's order, so
/// the output is the same as a sequential map. Lessons are independent, so loading and
/// rendering them this way changes nothing but the time a build takes.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                           _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let threads = min(threads, items.count)
    guard threads > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    let work: @Sendable () -> Void = {
        while let index = results.claim() { results.set(index, transform(items[index])) }
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
    return results.values
}

/// One slot per task; tasks are handed out in order, and each writes only its own slot.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>
    private let lock = NSLock()
    private var next = 0

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// The next task's index, or nil when all are handed out.
    func claim() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func set(_ index: Int, _ value: R) { slots[index] = value }

    /// Call after every task has finished.
    var values: [R] { slots.map { $0! } }
}
