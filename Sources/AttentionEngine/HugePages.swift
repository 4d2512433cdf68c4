#if canImport(Glibc)
import Glibc
#endif

/// Asks Linux to back a large, not yet touched matrix with 2 MiB pages.
///
/// Why: a traced layer at L = 2,048 writes about 1.3 GB of fresh matrices (ω, ω_scaled and
/// α for each of 12 heads), and with 4 KiB pages a fifth of its time went to page faults
/// (`perf record` on AttnBench 2048 768 12). With the advice, AttnBench's median pass at
/// L = 2,048 went from 0.81–1.09 s to 0.63–0.70 s on a two-core machine (make bench,
/// "Attention"; smaller layers do not reach the threshold and are unchanged). The numbers in
/// the matrices do not change: this only says how the kernel maps the memory. Where the
/// kernel does not do transparent huge pages (or on other systems) it does nothing.
enum HugePages {
    /// Matrices smaller than this (8 MiB, a 1,024 × 1,024 matrix of Doubles) are left alone.
    static let threshold = 8 << 20
    static let pageSize = 2 << 20

    /// Advises the whole 2 MiB pages inside `buffer`, before anything is written to it.
    static func advise(_ buffer: UnsafeMutableBufferPointer<Double>) {
        #if os(Linux)
        let bytes = buffer.count * MemoryLayout<Double>.stride
        guard bytes >= threshold, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + pageSize - 1) / pageSize * pageSize
        let end = (Int(bitPattern: base) + bytes) / pageSize * pageSize
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }
}
