import TraceFormat

/// A coordinate or size for SVG markup, the one way every picture writes one: at most two
/// decimals, and an ASCII minus sign (SVG does not read the typographic − that
/// `NumberFormat` prints for people).
func svgNumber(_ x: Double) -> String {
    NumberFormat.fixed(x, decimals: x.rounded() == x ? 0 : 2).replacingOccurrences(of: "\u{2212}", with: "-")
}
