import AttentionEngine
import Foundation
import SpecLoader
import TestSupport
import Testing

/// Compares every event of the engine's trace with the NumPy reference written by
/// Tests/Reference/make_fixtures.py (regenerate with `python3 Tests/Reference/make_fixtures.py`).
@Suite("NumPy reference fixtures")
struct FixtureTests {
    static let directory = repositoryRoot.appendingPathComponent("Tests/Reference/fixtures")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test("there are fixtures to compare with")
    func fixturesExist() {
        #expect(Self.names.count >= 15)
    }

    @Test("every event matches the reference", arguments: names)
    func matches(name: String) throws {
        let yaml = try String(contentsOf: Self.directory.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("\(name).expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(expected["events"] as? [[String: Any]])
        let trace = try SpecLoader.load(yaml, path: "\(name).yaml").loaded.trace()
        // Scores near 10⁶ leave α reproducible only to about 1e-8 (see make_fixtures.py).
        let absolute = name == "large_scores" ? 1e-8 : 1e-12

        #expect(trace.events.count == events.count, "event count")
        for (event, reference) in zip(trace.events, events) {
            let label = "\(name): \(reference["stage"]!) \(reference["name"]!) head \(String(describing: reference["head"]))"
            #expect(event.stage.rawValue == reference["stage"] as? String, "\(label): stage")
            #expect(event.name == reference["name"] as? String, "\(label): name")
            #expect(event.head == reference["head"] as? Int, "\(label): head")
            #expect(event.rowLabels == reference["rows"] as? [String], "\(label): rows")
            #expect(event.columnLabels == reference["columns"] as? [String], "\(label): columns")
            let rows = try #require(reference["values"] as? [[Any]])
            let values: [[Double]] = rows.map { $0.map { ($0 as? String) == "-inf" ? -.infinity : ($0 as! NSNumber).doubleValue } }
            #expect(close(event.values, values, absolute: absolute), "\(label): values")
        }
    }
}

@Suite("seeded values")
struct SeededValueTests {
    struct Vectors: Decodable {
        struct Generator: Decodable { let seed: String; let next: [String]; let nextUnit: [Double] }
        struct Distribution: Decodable {
            let seed: String; let low: Double; let high: Double; let decimals: Int?
            let rows: Int; let columns: Int; let values: [[Double]]
        }
        let generators: [Generator]
        let distributions: [Distribution]
    }

    static func vectors() throws -> Vectors {
        let url = repositoryRoot.appendingPathComponent("Tests/Reference/splitmix64_vectors.json")
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    @Test("SplitMix64 matches an independent Python implementation bit for bit")
    func generator() throws {
        for g in try Self.vectors().generators {
            var a = SplitMix64(seed: UInt64(g.seed)!)
            #expect((0..<5).map { _ in String(a.next()) } == g.next, "seed \(g.seed)")
            var b = SplitMix64(seed: UInt64(g.seed)!)
            #expect((0..<5).map { _ in b.nextUnit() } == g.nextUnit, "seed \(g.seed)")
        }
    }

    @Test("seeded matrices match, rounding included")
    func distributions() throws {
        for d in try Self.vectors().distributions {
            let m = SeededDistribution(seed: UInt64(d.seed)!, low: d.low, high: d.high, decimals: d.decimals)
                .matrix(rows: d.rows, columns: d.columns)
            #expect(m == Matrix(d.values))
        }
    }

    @Test("the same seed gives the same spec, a different seed a different one")
    func determinism() throws {
        let a = try loadSpec(randomSpec(n: 4, d: 6, seed: 10))
        let b = try loadSpec(randomSpec(n: 4, d: 6, seed: 10))
        let c = try loadSpec(randomSpec(n: 4, d: 6, seed: 11))
        #expect(a.X == b.X && a.projection!.W_Q == b.projection!.W_Q)
        #expect(a.X != c.X)
        // Default range of a weight: ±1/√fan_in.
        let bound = 1 / 6.0.squareRoot()
        #expect(a.projection!.W_Q.storage.allSatisfy { abs($0) <= bound })
        #expect(a.X.storage.allSatisfy { $0 >= -1 && $0 < 1 })
    }
}
