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

    /// Fixed decimals for people (`0.4200`), with −∞ as `−∞` and no negative zero:
    /// a value that rounds to zero prints without a sign.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        if x == -.infinity { return "−∞" }
        if x == .infinity { return "∞" }
        if x.isNaN { return "NaN" }
        var text = String(format: "%.\(decimals)f", x)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text.replacingOccurrences(of: "-", with: "−")
    }
}
