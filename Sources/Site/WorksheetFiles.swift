import Diagnostics
import Foundation

extension Worksheet {
    /// Writes the sheet, its answer key and its answers template into `directory` (made if
    /// missing) and returns their paths. Every page is made before any is written; when
    /// one cannot be written, the ones this call wrote are removed again.
    public func write(to directory: String) throws(Diagnostic) -> [String] {
        let files = [
            (sheetFileName, render(key: false)),
            (keyFileName, render(key: true)),
            (answersFileName, answersTemplate()),
        ]
        var written: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, text) in files {
                let path = (directory as NSString).appendingPathComponent(name)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                written.append(path)
            }
        } catch {
            for path in written { try? FileManager.default.removeItem(atPath: path) }
            throw Diagnostic("attn: cannot write to '\(directory)': \(error.localizedDescription)", at: nil)
        }
        return written
    }
}
