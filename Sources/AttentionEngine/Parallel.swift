import Dispatch

/// `body(0)`, …, `body(count − 1)` in parallel, one task per core, the results in that order.
/// Each product inside stays on its task's thread (OpenBLAS runs one thread, COpenBLAS/openblas.c).
/// A single task runs inline.
func concurrentMap<R: Sendable>(_ count: Int, _ body: @Sendable (Int) -> R) -> [R] {
    if count == 1 { return [body(0)] }
    let results = Slots<R?>(count: count, initial: nil)
    DispatchQueue.concurrentPerform(iterations: count) { results[$0] = body($0) }
    return results.values.map { $0! }
}

/// One slot per parallel task; each task writes only its own slot. The slots are one
/// allocation made up front: writing through an array property instead would be a Swift
/// access to the whole array from every task at once (ThreadSanitizer reports it).
private final class Slots<Element>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Element>
    init(count: Int, initial: Element) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: initial)
    }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    subscript(index: Int) -> Element {
        get { slots[index] }
        set { slots[index] = newValue }
    }
    /// Read once every task has finished.
    var values: [Element] { Array(slots) }
}
