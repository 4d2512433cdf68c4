import AttentionEngine
import COpenBLAS
import Foundation
import Testing

/// OpenBLAS is loaded on first use with one thread of its own (Sources/COpenBLAS/openblas.c).
@Suite("OpenBLAS, loaded with one thread")
struct OpenBLASTests {
    @Test("it is found, so products do not fall back to the plain loop")
    func found() {
        #expect(attn_blas_available() == 1, "no OpenBLAS could be loaded: install libopenblas-dev (scripts/install-deps.sh)")
    }

    @Test("the process asks it for one thread before it loads")
    func oneThread() {
        #expect(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == "1")
    }
}
