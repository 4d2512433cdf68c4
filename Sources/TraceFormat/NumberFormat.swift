import Foundation

/// The two ways attn writes numbers. Both are deterministic and locale-free.
public enum NumberFormat {
    /// The shortest text that reads back as the same Double (`0.1`, `1.0`, `1e-05`).
    /// −∞ is `-inf`. Used by the JSON trace.
    public static func roundTrip(_ x: Double) -> String {
        if x == -.infinity { return "-inf" }
        if x == .infinity { return "inf" }
        if x.isNaN { return "nan" }
        return x.description
    }

    /// Numbers from this size on are written in scientific notation by `fixed`: a fixed
    /// text would be ten or more digits before the point and wreck a table (`1e100` would
    /// print 101 digits).
    public static let scientificFrom = 1e9

    /// Fixed decimals for people (`0.4200`), with −∞ as `−∞` and no negative zero:
    /// a value that rounds to zero prints without a sign. Values of magnitude
    /// `scientificFrom` or more are written `1.2346e+12` (the same number of decimals in
    /// the mantissa), so no cell grows wider than about a dozen characters.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        if x == -.infinity { return "−∞" }
        if x == .infinity { return "∞" }
        if x.isNaN { return "NaN" }
        if abs(x) >= scientificFrom {
            return String(format: "%.\(decimals)e", x).replacingOccurrences(of: "-", with: "−")
        }
        var text = String(format: "%.\(decimals)f", x)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text.replacingOccurrences(of: "-", with: "−")
    }
}
