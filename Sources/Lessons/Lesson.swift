import Foundation
import AttentionEngine
import Diagnostics
import Markdown
import SpecLoader

/// A lesson file, parsed and checked: front matter, markdown blocks, traced attention
/// blocks, exercises, and every math span and trace reference with its place in the file.
public struct Lesson: Sendable {
    /// The file's name and front matter.
    public let header: LessonHeader
    public var path: String { header.path }
    /// From the file name `NN-slug.md`.
    public var number: Int { header.number }
    public var slug: String { header.slug }
    public var frontMatter: FrontMatter { header.frontMatter }
    public let blocks: [LessonBlock]
    public let attentionBlocks: [AttentionBlock]
    public let exercises: [Exercise]
    /// Math and references by placeholder number; `references` resolves the latter.
    public let spans: [InlineSpan]
    public let references: [Int: ResolvedReference]

    /// Where the lesson sorts in the course: `order` from the front matter, else NN.
    public var order: Int { header.order }

    /// `text` (of this lesson) as plain text: each math placeholder replaced by `math` of its
    /// TeX, each reference by `reference` of what it resolved to (nil if nothing) and its
    /// source text. Placeholders this lesson does not know are dropped.
    public func plainText(_ text: String, math: (String) -> String,
                          reference: (ResolvedReference?, String) -> String) -> String {
        var out = ""
        for piece in Placeholder.split(text) {
            switch piece {
            case .text(let text): out += text
            case .placeholder(let index) where spans.indices.contains(index):
                switch spans[index].kind {
                case .math(let tex, _): out += math(tex)
                case .reference(let source): out += reference(references[index], source)
                }
            case .placeholder: break
            }
        }
        return out
    }
}

/// A lesson file's name and front matter, read before its body (`LessonParser.header`).
public struct LessonHeader: Sendable {
    public let path: String
    /// From the file name `NN-slug.md`.
    public let number: Int
    public let slug: String
    public let frontMatter: FrontMatter
    /// The file's line where the body starts, and the body (line endings made `\n`).
    let bodyStartLine: Int
    let body: String

    /// Where the lesson sorts in the course (as `Lesson.order`).
    public var order: Int { frontMatter.order ?? number }
}

public struct FrontMatter: Sendable {
    public var title: String
    public var summary: String
    public var objectives: [String]
    public var order: Int?
    /// Keys the renderer does not use (an error in strict builds).
    public var unusedKeys: [(key: String, location: SourceLocation)]
    /// Where each field's value is, for later checks.
    public var locations: [String: SourceLocation]
}

public enum LessonBlock: Sendable {
    /// Ordinary markdown, rendered by cmark-gfm (placeholders still inside).
    case markdown(MarkdownBlock)
    /// `attentionBlocks[index]`
    case attention(Int)
    /// `exercises[index]`
    case exercise(Int)
}

/// A fenced `attention` block: a spec, its trace, and how to show it.
public struct AttentionBlock: Sendable {
    public let name: String?
    public let title: String?
    public let spec: AttentionSpec
    public let trace: Trace
    /// The query token whose arithmetic is worked out.
    public let focus: Int?
    /// The stages to show, in trace order.
    public let stages: [Stage]
    public let decimals: Int
    public let notation: Notation
    /// `.onDemand` keeps results and worked arithmetic closed until the student opens them.
    public let reveal: DisplayOptions.Reveal
    public let location: SourceLocation
    /// 1-based position among the lesson's attention blocks (for ids and captions).
    public let ordinal: Int

    public enum Notation: String, Sendable, CaseIterable {
        /// Q = X·W_Q, one row per token.
        case row
        /// q⁽ⁱ⁾ = U_q x⁽ⁱ⁾, one column per token (U_q = W_Qᵀ).
        case column
    }

    public var displayName: String { name ?? "block \(ordinal)" }
}

/// A fenced `exercise` block: a question whose answers are computed from a trace (one
/// number, or several parts a, b, c … that build on each other), or a question about an idea
/// with a model answer and what a good answer mentions, for the student to judge.
public struct Exercise: Sendable {
    /// Markdown with placeholders for math and references.
    public let question: String
    public let hint: String
    /// `question` and `hint` as cmark parsed them when the lesson was read.
    public let questionDocument: MarkdownDocument
    public let hintDocument: MarkdownDocument
    /// The numbers to type: one, or one per part. Empty for a conceptual question.
    public let answers: [Answer]
    /// The model answer of a conceptual question.
    public let concept: Concept?
    public let location: SourceLocation
    /// 1-based within the lesson.
    public let number: Int

    public var isConceptual: Bool { concept != nil }
}

/// One number an exercise asks for, with what counts as right.
public struct Answer: Sendable {
    /// "a", "b", … for the parts of a multi-part exercise; nil for a single answer.
    public let label: String?
    /// What this part asks, as markdown with placeholders (nil for a single answer: the
    /// exercise's question says it).
    public let prompt: String?
    public let promptDocument: MarkdownDocument?
    public let reference: TraceReference
    /// The cell of the block's trace it is read from.
    public let cell: ResolvedCell?
    public let value: Double
    /// The decimals the question asks for: the exercise's `decimals:`, else the block's.
    public let decimals: Int
    /// Every answer accepted as right: by default what honest hand work at `decimals`
    /// places gives (`HandWork`), or value ± `tolerance:` when the exercise sets one.
    public let accepted: Bounds
    /// The exercise's own `tolerance:`, if it set one.
    public let tolerance: Double?
    /// `attentionBlocks[block]` holds the answer.
    public let block: Int

    /// The accepted range as people read it: its ends rounded outwards to one decimal more
    /// than asked (so the printed range holds every accepted answer); nil when only the
    /// value itself is accepted.
    public var shownRange: (low: Double, high: Double, decimals: Int)? {
        guard accepted.high - accepted.low > 1e-9 * max(1, abs(value)) else { return nil }
        let decimals = min(self.decimals + 1, 12)
        let scale = pow(10, Double(decimals))
        // Outwards, but an end a hair's breadth from a printed digit (the padding that
        // absorbs floating-point noise) prints as that digit.
        func shown(_ x: Double, _ rule: FloatingPointRoundingRule) -> Double {
            let scaled = x * scale
            return (abs(scaled - scaled.rounded()) < 1e-6 ? scaled.rounded() : scaled.rounded(rule)) / scale
        }
        return (shown(accepted.low, .down), shown(accepted.high, .up), decimals)
    }

    /// "2", or "2b" for part b of exercise 2: how answers files and messages name it.
    public func key(exercise: Int) -> String { "\(exercise)\(label ?? "")" }
}

/// The self-assessed answer to a question about an idea.
public struct Concept: Sendable {
    /// A model answer, markdown with placeholders.
    public let model: String
    public let modelDocument: MarkdownDocument
    /// What a good answer must mention, each markdown with placeholders.
    public let mentions: [String]
    public let mentionDocuments: [MarkdownDocument]
}

public struct ResolvedReference: Sendable {
    public let reference: TraceReference
    public let value: ReferenceValue
    /// The cell it was read from (`TraceReference.resolve`).
    public let cell: ResolvedCell?
    /// `attentionBlocks[block]`
    public let block: Int
}
