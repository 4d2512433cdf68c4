import AttentionEngine
import Lessons
import TraceFormat

/// Number text for pages, shared with the terminal output.
enum TraceFormatBridge {
    static func number(_ x: Double, decimals: Int) -> String { NumberFormat.fixed(x, decimals: decimals) }

    static func tolerance(_ t: Double) -> String {
        var text = NumberFormat.roundTrip(t)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
