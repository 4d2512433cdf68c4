import AttentionEngine
import Lessons
import TraceFormat

/// Number text and cell explanations for pages, shared with the terminal output.
enum TraceFormatBridge {
    static func number(_ x: Double, decimals: Int) -> String { NumberFormat.fixed(x, decimals: decimals) }

    static func tolerance(_ t: Double) -> String {
        var text = NumberFormat.roundTrip(t)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// The worked arithmetic of the cell a reference names, when it names a traced cell.
    static func explanation(_ reference: TraceReference, block: AttentionBlock) -> String? {
        guard let row = reference.row, let column = reference.column else { return nil }
        let head = reference.head ?? 0
        let named = block.trace.events.filter { $0.name == reference.matrix && ($0.head == head || $0.head == nil) }
        // A decode step's events repeat once per token: the one whose row is named.
        guard let event = named.first(where: { $0.stage == .decoding && $0.rowLabels == [row] }) ?? named.first else { return nil }
        func index(_ label: String, _ labels: [String]) -> Int? {
            labels.firstIndex(of: label) ?? (label.hasPrefix("#") ? Int(label.dropFirst()) : nil)
        }
        guard let i = index(row, event.rowLabels), let j = index(column, event.columnLabels) else { return nil }
        return Worked(decimals: block.decimals).cell(event, row: i, column: j)
    }
}
