import AttentionEngine
import COpenBLAS
import Foundation
import Testing

/// OpenBLAS is loaded on first use with one thread of its own and the kernels for this
/// processor's vector instructions (Sources/COpenBLAS/openblas.c).
@Suite("OpenBLAS, loaded with one thread and this processor's kernels")
struct OpenBLASTests {
    @Test("it is found, so products do not fall back to the plain loop")
    func found() {
        #expect(attn_blas_available() == 1, "no OpenBLAS could be loaded: install libopenblas-dev (scripts/install-deps.sh)")
    }

    @Test("the process asks it for one thread before it loads")
    func oneThread() {
        #expect(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == "1")
    }

    /// The CPU flags Linux reports ("avx2", "avx512f", …), or nil elsewhere.
    static let cpuFlags: Set<String>? = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }()

    @Test("on a processor with AVX2 and FMA it runs vector kernels, not its SSE fallback",
          .enabled(if: cpuFlags.map { $0.isSuperset(of: ["avx2", "fma"]) } ?? false))
    func vectorKernels() {
        let kernels = String(cString: attn_blas_kernels())
        // OpenBLAS's names for the kernels of processors without AVX2 (its fallbacks).
        let old: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
                                "Sandybridge", "Katmai", "Coppermine", "Northwood", "Banias",
                                "Opteron", "Opteron(SSE3)", "Barcelona", "Bobcat", "Bulldozer",
                                "Piledriver", "Steamroller", "Excavator", "Nano", "Unknown"]
        #expect(!kernels.isEmpty && !old.contains(kernels), "OpenBLAS runs its \(kernels) kernels")
        if Self.cpuFlags?.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]) == true,
           ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == "SkylakeX" {
            #expect(kernels == "SkylakeX")
        }
    }
}
