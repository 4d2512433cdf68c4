import Foundation
import COpenBLAS

/// A dense matrix of Doubles in row-major order: element (i, j) is `storage[i * columns + j]`.
///
/// Small products (a lesson's) are computed in the textbook order, `referenceProduct`; large
/// ones go through OpenBLAS (`cblas_dgemm`, loaded by COpenBLAS), or the textbook order when
/// no OpenBLAS can be loaded. `textbookProductLimit` says why.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public internal(set) var storage: [Double]

    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(rows >= 0 && columns >= 0 && storage.count == rows * columns,
                     "Matrix storage has \(storage.count) values, not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from a list of equally long rows.
    public init(_ rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: rows.count, columns: columns, storage: rows.flatMap { $0 })
    }

    public static func zeros(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: [Double](repeating: 0, count: rows * columns))
    }

    /// A matrix whose every element is written by `fill` before it is read.
    /// Skips zero-filling, which matters for the large score matrices, and asks for huge
    /// pages for them (`HugePages`).
    static func uninitialized(_ rows: Int, _ columns: Int,
                              _ fill: (UnsafeMutableBufferPointer<Double>) -> Void) -> Matrix {
        let count = rows * columns
        let storage = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(buffer)
            fill(buffer)
            initialized = count
        }
        return Matrix(rows: rows, columns: columns, storage: storage)
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public func row(_ i: Int) -> ArraySlice<Double> {
        storage[(i * columns)..<((i + 1) * columns)]
    }

    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { self[$0, j] }
    }

    /// The rows as nested arrays (for printing and JSON).
    public var rowArrays: [[Double]] { (0..<rows).map { Array(row($0)) } }

    public var shape: Shape { Shape(rows: rows, columns: columns) }

    /// Columns `range` of every row: (r × c) → (r × range.count).
    public func columns(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns)
        if range == 0..<columns { return self }
        let width = range.count
        return .uninitialized(rows, width) { out in
            storage.withUnsafeBufferPointer { source in
                for i in 0..<rows {
                    let from = source.baseAddress! + i * columns + range.lowerBound
                    (out.baseAddress! + i * width).update(from: from, count: width)
                }
            }
        }
    }

    /// Rows `indices` in that order: (r × c) → (indices.count × c).
    public func rows(_ indices: [Int]) -> Matrix {
        Matrix(rows: indices.count, columns: columns,
               storage: indices.flatMap { Array(row($0)) })
    }

    public var transposed: Matrix {
        .uninitialized(columns, rows) { out in
            for i in 0..<rows { for j in 0..<columns { out[j * rows + i] = self[i, j] } }
        }
    }

    /// Whether every value is a finite number.
    public var allFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// Element-wise map.
    public func map(_ transform: (Double) -> Double) -> Matrix {
        .uninitialized(rows, columns) { out in
            storage.withUnsafeBufferPointer { source in
                for index in source.indices { out[index] = transform(source[index]) }
            }
        }
    }

    /// Side by side: [A | B | …], all with the same number of rows.
    public static func concatenatingColumns(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return .zeros(0, 0) }
        let width = parts.reduce(0) { $0 + $1.columns }
        return .uninitialized(first.rows, width) { out in
            var offset = 0
            for part in parts {
                part.storage.withUnsafeBufferPointer { source in
                    for i in 0..<part.rows {
                        (out.baseAddress! + i * width + offset)
                            .update(from: source.baseAddress! + i * part.columns, count: part.columns)
                    }
                }
                offset += part.columns
            }
        }
    }

    /// A + b, adding the vector `b` to every row (a bias).
    public func addingToEachRow(_ b: [Double]) -> Matrix {
        precondition(b.count == columns)
        var result = self
        result.storage.withUnsafeMutableBufferPointer { out in
            for i in 0..<rows { for j in 0..<columns { out[i * columns + j] += b[j] } }
        }
        return result
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.shape == b.shape)
        return Matrix(rows: a.rows, columns: a.columns,
                      storage: zip(a.storage, b.storage).map { $0 + $1 })
    }

    /// Matrix product through BLAS: (n × k)·(k × m) → (n × m).
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        a.product(b, transposingRight: false)
    }

    /// A·Bᵀ without forming Bᵀ: (n × k)·(m × k)ᵀ → (n × m). This is Q·Kᵀ.
    public func timesTranspose(of b: Matrix) -> Matrix {
        product(b, transposingRight: true)
    }

    private func product(_ b: Matrix, transposingRight: Bool) -> Matrix {
        let inner = transposingRight ? b.columns : b.rows
        let m = transposingRight ? b.rows : b.columns
        precondition(columns == inner, "inner dimensions differ: (\(rows)×\(columns))·(\(b.rows)×\(b.columns))")
        // Small and empty products, and every product when no OpenBLAS can be loaded, are
        // the textbook product (`textbookProductLimit` says why).
        if rows * m * inner <= Matrix.textbookProductLimit || attn_blas_available() == 0 {
            return referenceProduct(transposingRight ? b.transposed : b)
        }
        return .uninitialized(rows, m) { out in
            storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    _ = attn_dgemm(transposingRight ? 1 : 0, Int32(rows), Int32(m), Int32(inner),
                                   1.0, pa.baseAddress, Int32(columns),
                                   pb.baseAddress, Int32(b.columns),
                                   0.0, out.baseAddress, Int32(m))
                }
            }
        }
    }

    /// The product split by rows over the cores: each block of rows is one single-threaded
    /// dgemm writing its own rows of the result. For the big products that stand alone (the
    /// projections and the output projection), which would otherwise keep one core of two
    /// busy (OpenBLAS runs one thread; COpenBLAS/openblas.c). It exists for `make bench`'s BERT-sized
    /// layers (L = 128 … 2,048); small products, every lesson's and test's, take `*` as they
    /// are, so their numbers do not move by a bit.
    public func rowParallelProduct(_ b: Matrix) -> Matrix {
        let blocks = ProcessInfo.processInfo.activeProcessorCount
        guard blocks > 1, rows >= 128, rows * columns * b.columns >= 10_000_000, attn_blas_available() == 1 else { return self * b }
        let (n, inner, m) = (rows, columns, b.columns)
        precondition(inner == b.rows, "inner dimensions differ: (\(rows)×\(columns))·(\(b.rows)×\(b.columns))")
        return .uninitialized(n, m) { out in
            let target = UncheckedPointer(out.baseAddress!)
            storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    let (a, bb) = (UncheckedPointer(UnsafeMutablePointer(mutating: pa.baseAddress!)),
                                   UncheckedPointer(UnsafeMutablePointer(mutating: pb.baseAddress!)))
                    DispatchQueue.concurrentPerform(iterations: blocks) { block in
                        let first = n * block / blocks, last = n * (block + 1) / blocks
                        guard last > first else { return }
                        _ = attn_dgemm(0, Int32(last - first), Int32(m), Int32(inner),
                                       1.0, a.pointer + first * inner, Int32(inner), bb.pointer, Int32(m),
                                       0.0, target.pointer + first * m, Int32(m))
                    }
                }
            }
        }
    }

    /// Products of at most this many multiply-adds (every lesson's: a 16 × 16 block is
    /// 4,096) are computed in the textbook order, each cell summed left to right, for two
    /// reasons. Their numbers are then the same on every machine: OpenBLAS's kernels differ in
    /// the last bit from one processor to the next (those with fused multiply-adds round once
    /// per term, the SSE ones twice), and a lesson whose score sat on a rounding tie, 796.0075,
    /// printed 796.008 on one machine and 796.007 on another. And the terms a worked dot
    /// product shows (`DotProduct.partialSums`) then add up to the stored number bit for bit.
    /// OpenBLAS is for the big products, where it is many times faster (`make bench`).
    public static let textbookProductLimit = 1 << 16

    /// The name of the kernels OpenBLAS runs for the big products ("SkylakeX", "Haswell", …;
    /// COpenBLAS/openblas.c says how they are chosen), or "" when there is no OpenBLAS.
    public static var blasKernels: String { String(cString: attn_blas_kernels()) }

    /// The textbook product, one dot product per cell, summed left to right.
    /// Slow and obviously right: the fast path is tested against it.
    public func referenceProduct(_ b: Matrix) -> Matrix {
        precondition(columns == b.rows)
        var out = Matrix.zeros(rows, b.columns)
        for i in 0..<rows {
            for j in 0..<b.columns {
                var sum = 0.0
                for k in 0..<columns { sum += self[i, k] * b[k, j] }
                out[i, j] = sum
            }
        }
        return out
    }
}

/// A pointer handed to parallel tasks that each touch their own part of the memory.
private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}

/// A matrix shape, printed as `(3×4)`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var rows: Int
    public var columns: Int
    public init(rows: Int, columns: Int) { self.rows = rows; self.columns = columns }
    public var description: String { "(\(rows)×\(columns))" }
}
