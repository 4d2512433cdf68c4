@testable import AttentionEngine
import Testing

/// Large matrices are advised onto huge pages before they are written (HugePages.swift);
/// the advice must never change a number.
@Suite("huge pages for large matrices")
struct HugePagesTests {
    @Test("a matrix above the threshold is filled exactly as a small one is")
    func largeMatrices() {
        let (rows, columns) = (1_031, 1_033)          // 8.1 MiB: advised, and not page-aligned
        #expect(rows * columns * MemoryLayout<Double>.stride >= HugePages.threshold)
        let a = Matrix(rows: rows, columns: columns, storage: (0..<rows * columns).map { Double($0 % 977) - 488.5 })
        let doubled = a.map { 2 * $0 }
        #expect(doubled.storage == a.storage.map { 2 * $0 })
        let product = a.timesTranspose(of: a.rows([0, 1, 2]))     // (1031 × 3), one row checked by hand
        let row = Array(a.row(5)), first = Array(a.row(0))
        let expected = zip(row, first).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(product[5, 0] - expected) <= 1e-9 * abs(expected))
    }
}
