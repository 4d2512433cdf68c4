import AttentionEngine
import Diagnostics

/// The display options of an attention block that say what to show of a trace: the focus
/// token, the decimals, the stages, and whether results are revealed at once. Lesson pages
/// and `attn trace` read them with the same rules and messages (lessons add name, title and
/// notation of their own).
public struct DisplayOptions: Sendable {
    /// The token whose arithmetic is worked out.
    public var focus: Int?
    public var decimals: Int?
    /// The stages to show, in trace order; nil for every stage.
    public var stages: [Stage]?
    /// When results and worked arithmetic are shown; nil for the default, `.always`.
    public var reveal: Reveal?

    /// `reveal: always` shows every result; `reveal: on-demand` shows a worked example's
    /// inputs and formulas and keeps each result and its arithmetic closed until the student
    /// opens it ("your turn" examples). `attn trace` reads the option and prints everything.
    public enum Reveal: String, Sendable, CaseIterable {
        case always
        case onDemand = "on-demand"
    }

    /// Reads `options` (from `SpecLoader.load`'s extras) for a trace of `tokens` holding the
    /// stages `present`. `decimals` is the range allowed.
    public init(_ options: [String: YAMLOption], tokens: [String], present: [Stage],
                decimals range: ClosedRange<Int>) throws(Diagnostic) {
        if let option = options["focus"] {
            let label = try Self.scalar(option, "focus")
            focus = try TokenChoice(label, in: tokens).index("focus '\(label)'", tokens: tokens, at: option.location,
                                                             example: { "focus: '#\($0)'" }, yamlQuoting: true)
        }
        if let option = options["decimals"] {
            let text = try Self.scalar(option, "decimals")
            guard let d = Int(text), range.contains(d) else {
                throw Diagnostic("decimals must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'", at: option.location)
            }
            decimals = d
        }
        if let option = options["reveal"] {
            let text = try Self.scalar(option, "reveal")
            guard let r = Reveal(rawValue: text) else {
                throw Diagnostic("reveal must be always (every result shown) or on-demand (results closed until the student opens them), not '\(text)'", at: option.location)
            }
            reveal = r
        }
        if let option = options["show"] {
            let names = option.list ?? option.scalar.map { [$0] } ?? []
            if names != ["all"] {
                let available = Stage.allCases.filter { present.contains($0) }
                var chosen: [Stage] = []
                for name in names {
                    guard let stage = Stage(rawValue: name) else {
                        let all = Stage.allCases.map(\.rawValue)
                        let hint = nearest(to: name, in: all).map { "did you mean '\($0)'? " } ?? ""
                        throw Diagnostic("unknown stage '\(name)' in show: \(hint)the stages are \(all.joined(separator: ", ")), or all", at: option.location)
                    }
                    guard present.contains(stage) else {
                        throw Diagnostic("show lists '\(name)', but this block has no \(name) stage (its stages are \(available.map(\.rawValue).joined(separator: ", ")))", at: option.location)
                    }
                    chosen.append(stage)
                }
                guard !chosen.isEmpty else {
                    throw Diagnostic("show needs at least one stage, e.g. show: [similarity, normalization]", at: option.location)
                }
                stages = available.filter { chosen.contains($0) }
            }
        }
    }

    /// A single value's text, or an error naming the option.
    public static func scalar(_ option: YAMLOption, _ key: String) throws(Diagnostic) -> String {
        guard let text = option.scalar else { throw Diagnostic("\(key) must be a single value", at: option.location) }
        return text
    }
}
