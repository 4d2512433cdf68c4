import AttentionEngine
import Diagnostics
import Foundation
import Yams

/// Matrix files read while loading one spec, by resolved path.
final class FileCache {
    var matrices: [String: Matrix] = [:]
}

extension Reader {
    /// `{file: data/x.csv}`: the matrix in that file, found relative to the spec's folder;
    /// nil when the node is not such a mapping.
    mutating func fileMatrix(_ node: Node, _ name: String) throws(Diagnostic) -> Matrix? {
        guard let mapping = node.mapping, mapping.keys.contains(where: { $0.scalar?.string == "file" }) else { return nil }
        // tensor, transpose, rows, columns, and every .safetensors file: Safetensors.swift
        if mapping.count > 1 || (mapping.values[0].scalar?.string as NSString?)?.pathExtension.lowercased() == "safetensors" {
            return try referencedMatrix(node, mapping, name)
        }
        guard mapping.count == 1 else {
            throw Diagnostic("\(name): {file: NAME} takes no other keys (seed, low, high and decimals are for seeded matrices)", at: place(node))
        }
        let value = mapping.values[0]
        guard let name0 = value.scalar?.string, !name0.isEmpty else {
            throw Diagnostic("\(name).file must be a file name such as data/x.csv or weights/w_q.npy", at: place(value))
        }
        let resolved = SpecLoader.resolve(name0, from: baseDirectory)
        let lookedFor = resolved == name0 ? "" : " (looked for \(resolved))"
        let ext = (name0 as NSString).pathExtension.lowercased()
        guard ext == "csv" || ext == "npy" else {
            throw Diagnostic("\(name).file '\(name0)' must end in .csv (numbers separated by commas) or .npy (NumPy's np.save)", at: place(value))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Diagnostic("\(name).file '\(name0)' does not exist\(lookedFor): file names are relative to the file that names them", at: place(value))
        }
        let matrix: Matrix
        if let cached = cache.matrices[resolved] {
            matrix = cached
        } else {
            do {
                matrix = try MatrixFiles.load(path: resolved)
            } catch {
                var located = error
                located.notes.append("\(name) is read from this file at \(place(value))")
                throw located
            }
            cache.matrices[resolved] = matrix
        }
        files[SpecLoader.key(name.split(separator: ".").map { .key(String($0)) })] =
            "\(name) is read from \(resolved) (\(matrix.rows) × \(matrix.columns))"
        return matrix
    }

    /// `spec: specs/example.yaml` in a lesson block: the spec read from that file, with the
    /// block's display options; nil when the block has no `spec` key.
    func specFileReference(_ root: Node, extraKeys: [String]) throws(Diagnostic) -> (loaded: LoadedSpec, extras: [String: YAMLOption])? {
        guard let mapping = root.mapping, let specValue = mapping.first(where: { $0.key.scalar?.string == "spec" })?.value else { return nil }
        var extras: [String: YAMLOption] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            if key == "spec" { continue }
            guard extraKeys.contains(key) else {
                if SpecLoader.keys.contains(key) {
                    throw Diagnostic("\(key) is given here, but this block takes its spec from a file (spec:): put \(key) in that file; "
                        + "besides spec, a block then holds only \(extraKeys.joined(separator: ", "))", at: place(keyNode))
                }
                let allowed = ["spec"] + extraKeys
                let hint = nearest(to: key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)': \(hint)a block with spec: holds only \(allowed.joined(separator: ", "))", at: place(keyNode))
            }
            extras[key] = option(value)
        }
        guard let name = specValue.scalar?.string, !name.isEmpty else {
            throw Diagnostic("spec must be a file name such as specs/example.yaml", at: place(specValue))
        }
        let resolved = SpecLoader.resolve(name, from: baseDirectory)
        let lookedFor = resolved == name ? "" : " (looked for \(resolved))"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Diagnostic("spec file '\(name)' does not exist\(lookedFor): file names are relative to the lesson", at: place(specValue))
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw Diagnostic("cannot read the spec file '\(resolved)' (permission denied?)", at: place(specValue))
        }
        guard var text = String(data: data, encoding: .utf8), !text.contains("\0") else {
            throw Diagnostic("the file is not UTF-8 text: a spec is YAML (see docs/spec.md)", at: SourceLocation(path: resolved, line: 1, column: 1))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let loaded = try SpecLoader.load(text, path: resolved).loaded
        return (loaded, extras)
    }
}
