import Dispatch

/// `transform` applied to every element on all cores; results keep the input's order, so
/// the output is the same as a sequential map. Lessons are independent, so loading and
/// rendering them this way changes nothing but the time a build takes.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        results.set(index, transform(items[index]))
    }
    return results.values
}

/// One slot per task; each task writes only its own slot.
private final class ResultSlots<R>: @unchecked Sendable {
    private var slots: [R?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: R) { slots.withUnsafeMutableBufferPointer { $0[index] = value } }
    var values: [R] { slots.map { $0! } }
}
