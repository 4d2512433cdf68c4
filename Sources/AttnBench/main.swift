// AttnBench: times one traced forward pass (Attention.run) on seeded inputs, the way
// ../shared/bench/numpy_attention.py times its NumPy peer, and prints the same JSON lines.
//
// usage: AttnBench L D H [--repeats R]     in-process median per pass (1 warm-up, then
//                                          ≥ 9 repeats, ~3 s budget, at most 2000)
//        AttnBench --all [--repeats R]     the reference sizes (3,4,1) (128,768,12) (512,768,12) (2048,768,12)
//        AttnBench --once L D H            one traced pass, no timing (for whole-process timers)
//
// The spec matches bench/specs/bertL.yaml: tokens t0…t(L−1), d_model D, H heads, W_O, no
// biases, no mask, scaled; X {seed: 1} on [−1, 1), W_Q, W_K, W_V, W_O {seed: 2…5} on
// ±1/√D (the ranges SpecLoader gives seeded matrices), so `attn trace` computes the same numbers.
import AttentionEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let referenceSizes = [(3, 4, 1), (128, 768, 12), (512, 768, 12), (2048, 768, 12)]

/// Multiplies and adds counted separately, exp as 1 (the NumPy script's formula):
/// projections Q, K, V, O 8·L·D², scores and context 4·L²·D, softmax 6·H·L².
func flops(_ L: Int, _ D: Int, _ H: Int) -> Int { 8 * L * D * D + 4 * L * L * D + 6 * H * L * L }

func makeSpec(_ L: Int, _ D: Int, _ H: Int) -> AttentionSpec {
    let bound = 1 / Double(D).squareRoot()
    func seeded(_ seed: UInt64, _ low: Double, _ high: Double) -> Matrix {
        SeededDistribution(seed: seed, low: low, high: high).matrix(rows: seed == 1 ? L : D, columns: D)
    }
    return AttentionSpec(
        tokens: (0..<L).map { "t\($0)" },
        X: seeded(1, -1, 1),
        projection: .init(W_Q: seeded(2, -bound, bound), W_K: seeded(3, -bound, bound), W_V: seeded(4, -bound, bound)),
        heads: H,
        output: .init(W_O: seeded(5, -bound, bound)))
}

/// Bytes of distinct matrix storage the trace keeps alive: every event's values and every
/// operand matrix, each buffer counted once (operands mostly share another event's storage).
func traceBytes(_ trace: Trace) -> (held: Int, values: Int) {
    var seen = Set<UInt>()
    var held = 0
    func count(_ m: Matrix) {
        let address = m.storage.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        if seen.insert(address).inserted { held += m.storage.count * MemoryLayout<Double>.stride }
    }
    for event in trace.events {
        count(event.values)
        for operand in event.operands { count(operand.matrix) }
    }
    let values = trace.events.reduce(0) { $0 + $1.values.storage.count * MemoryLayout<Double>.stride }
    return (held, values)
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024  // kilobytes on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Int(usage.ru_maxrss)    // bytes on macOS
    #endif
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func run(_ spec: AttentionSpec) -> Trace {
    do { return try Attention.run(spec) } catch {
        FileHandle.standardError.write(Data("AttnBench: \(error.message)\n".utf8))
        exit(1)
    }
}

func json(_ pairs: KeyValuePairs<String, Any>) -> String {
    "{" + pairs.map { key, value in
        let text: String
        switch value {
        case let d as Double: text = "\(d)"
        case let s as String: text = "\"\(s)\""      // a kernel name: letters and digits only
        default: text = "\(value)"
        }
        return "\"\(key)\": \(text)"
    }.joined(separator: ", ") + "}"
}

func bench(_ L: Int, _ D: Int, _ H: Int, repeats requested: Int?) -> String {
    let spec = makeSpec(L, D, H)
    let clock = ContinuousClock()
    var checksum = 0.0
    let (held, values): (Int, Int)
    do {  // warm-up; the trace is freed before timing starts
        let trace = run(spec)
        (held, values) = traceBytes(trace)
        checksum += trace.output[0, 0]
    }
    let repeats: Int
    if let requested {
        repeats = requested
    } else {  // ~3 s budget, like the NumPy script
        let once = seconds(clock.measure { checksum += run(spec).output[0, 0] })
        repeats = Int(min(2000, max(9, 3.0 / max(once, 1e-9))))
    }
    var times: [Double] = []
    times.reserveCapacity(repeats)
    for _ in 0..<repeats {
        let start = clock.now
        let trace = run(spec)
        times.append(seconds(clock.now - start))
        checksum += trace.output[0, 0]
    }
    times.sort()
    let median = times.count % 2 == 1 ? times[times.count / 2]
                                      : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    let f = flops(L, D, H)
    return json([
        "L": L, "D": D, "H": H, "repeats": repeats, "median_s": median, "min_s": times[0],
        "flops": f, "gflops_per_s": Double(f) / median / 1e9, "trace_bytes": held,
        "values_bytes": values, "peak_rss_bytes": peakRSSBytes(),
        "out_0_0": checksum / Double(repeats + (requested == nil ? 2 : 1)),
        "blas_kernels": Matrix.blasKernels,
    ])
}

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: AttnBench L D H [--repeats R]
               AttnBench --all [--repeats R]
               AttnBench --once L D H

        """.utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var repeats: Int?
if let k = args.firstIndex(of: "--repeats") {
    guard k + 1 < args.count, let r = Int(args[k + 1]), r >= 1 else { usage() }
    repeats = r
    args.removeSubrange(k...(k + 1))
}
if args.first == "--once" {
    let numbers = args.dropFirst().compactMap { Int($0) }
    guard args.count == 4, numbers.count == 3 else { usage() }
    let (L, D, H) = (numbers[0], numbers[1], numbers[2])
    let trace = run(makeSpec(L, D, H))
    print("L=\(L) D=\(D) H=\(H) out[0,0]=\(String(format: "%.6f", trace.output[0, 0])) trace_bytes=\(traceBytes(trace).held)")
} else if args == ["--all"] {
    for (L, D, H) in referenceSizes { print(bench(L, D, H, repeats: repeats)); fflush(nil) }
} else if args.count == 3, case let numbers = args.compactMap({ Int($0) }), numbers.count == 3, numbers.allSatisfy({ $0 > 0 }) {
    print(bench(numbers[0], numbers[1], numbers[2], repeats: repeats))
} else {
    usage()
}
