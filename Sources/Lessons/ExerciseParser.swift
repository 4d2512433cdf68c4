import AttentionEngine
import Diagnostics
import Foundation
import Markdown

/// ```` ```exercise ```` blocks (docs/authoring.md, "Exercises"). Three kinds:
///
///     question: What weight does *journey* give to *with*?      # one number
///     hint: …
///     answer: alpha[journey, with]
///     decimals: 4                 # optional: the precision asked for (default: the block's)
///
///     question: Work out the weight *journey* gives to *with*.  # parts a, b, c …
///     hint: …
///     parts:
///       - ask: the largest score in the row of *journey*
///         answer: alpha[journey, with].max
///       - ask: the weight itself
///         answer: alpha[journey, with]
///
///     question: Why is a token's score with itself not always the largest?   # an idea
///     hint: …
///     model: A dot product grows with the lengths of both vectors, …
///     mentions: [the lengths of the vectors, a longer key pointing a similar way]
///
/// An answer is right when it lies in `Answer.accepted`: what honest hand work at the
/// asked decimals gives (`HandWork`), or value ± `tolerance:` when the exercise sets one.
extension LessonParser {
    static let exerciseKeys = ["question", "hint", "answer", "decimals", "tolerance", "block", "parts", "model", "mentions"]
    static let partKeys = ["ask", "answer", "decimals", "tolerance"]

    static func parseExercise(_ fence: FencedCode, path: String, number: Int, location: SourceLocation,
                              spans: inout [InlineSpan], blocks: [AttentionBlock], options: MarkdownOptions,
                              target: (String?, Int, SourceLocation) throws(Diagnostic) -> Int) throws(Diagnostic) -> Exercise {
        let fields = try YAMLFields(fence.literal, path: path, line: fence.contentStartLine, allowed: exerciseKeys, what: "an exercise",
                                recordKeys: ["parts"])
        let question = try fields.required("question", example: "question: What is α[am, good]?")
        let hint = try fields.required("hint", example: "hint: Divide exp(score − max) by the row's sum.")

        // Math and references in the texts become spans like the prose's; pages render the
        // parse made here.
        func scan(_ field: (value: String, location: SourceLocation)) throws(Diagnostic) -> (text: String, document: MarkdownDocument) {
            let map = sourceMap(of: field.value, in: fence.literal, firstLine: fence.contentStartLine, from: field.location)
            var scanner = InlineScanner(path: path, firstLine: field.location.line, firstColumn: field.location.column, sourceMap: map)
            scanner.spans = spans
            // The build's options (raw HTML allowed or not), without the prose walk.
            var textOptions = options
            textOptions.collectsProse = false
            let out = try scanAndParse(field.value, with: &scanner, padding: 0, path: path, options: textOptions)
            try checkPlaceholders(in: [out.document.html], spans: scanner.spans, from: spans.count)
            spans = scanner.spans
            return out
        }

        let kinds = [fields.fields["answer"] != nil, fields.fields["parts"] != nil, fields.fields["model"] != nil]
        guard kinds.filter({ $0 }).count == 1 else {
            let message = kinds.contains(true)
                ? "an exercise has one of answer:, parts: or model:, not several"
                : "an exercise needs answer: (one number, e.g. answer: alpha[am, good]), parts: (several numbers, each - ask: … answer: …) or model: (a question about an idea, with mentions:)"
            throw Diagnostic(message, at: fields.origin)
        }
        if fields.fields["mentions"] != nil && fields.fields["model"] == nil {
            throw Diagnostic("mentions: goes with model: (a question about an idea)", at: fields.location("mentions"))
        }
        let exerciseDecimals = try decimals(fields.value("decimals"))
        let exerciseTolerance = try tolerance(fields.value("tolerance"))

        var answers: [Answer] = []
        var concept: Concept?
        if fields.fields["answer"] != nil {
            let answer = try fields.required("answer", example: "answer: alpha[am, good]")
            answers.append(try resolve(answer, label: nil, prompt: nil, decimals: exerciseDecimals, tolerance: exerciseTolerance,
                                       block: fields.value("block"), line: location.line, blocks: blocks, target: target))
        } else if fields.fields["parts"] != nil {
            guard let parts = fields.records["parts"] else {
                throw Diagnostic("parts is a list of steps, each with ask: and answer:, e.g.\nparts:\n  - ask: the row's largest score\n    answer: alpha[am, good].max", at: fields.location("parts"))
            }
            guard (1...26).contains(parts.count) else {
                throw Diagnostic("parts: holds 1 to 26 parts (a to z), not \(parts.count)", at: fields.location("parts"))
            }
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            for (index, part) in parts.enumerated() {
                let start = fields.recordLocations["parts"]![index]
                for (key, field) in part.sorted(by: { $0.value.location.line < $1.value.location.line }) where !partKeys.contains(key) {
                    let hint = nearest(to: key, in: partKeys).map { "did you mean '\($0)'? " } ?? ""
                    throw Diagnostic("unknown key '\(key)' in part \(letters[index]): \(hint)a part holds \(partKeys.joined(separator: ", "))", at: field.location)
                }
                guard let ask = part["ask"], !ask.value.trimmingWhitespace().isEmpty else {
                    throw Diagnostic("part \(letters[index]) needs ask: what this step asks for, e.g. ask: the row's largest score", at: start)
                }
                guard let answer = part["answer"] else {
                    throw Diagnostic("part \(letters[index]) needs answer: e.g. answer: alpha[am, good].max", at: start)
                }
                let prompt = try scan(ask)
                answers.append(try resolve(answer, label: String(letters[index]), prompt: prompt,
                                           decimals: try decimals(part["decimals"]) ?? exerciseDecimals,
                                           tolerance: try tolerance(part["tolerance"]) ?? exerciseTolerance,
                                           block: fields.value("block"), line: location.line, blocks: blocks, target: target))
            }
        } else {
            let model = try fields.required("model", example: "model: A dot product grows with …")
            guard let mentions = fields.lists["mentions"], !mentions.isEmpty else {
                throw Diagnostic("a question about an idea lists what a good answer must mention: mentions: [first point, second point]", at: fields.location("model"))
            }
            if exerciseDecimals != nil || exerciseTolerance != nil || fields.value("block") != nil {
                throw Diagnostic("decimals:, tolerance: and block: go with a numeric answer, not with model:", at: fields.location("model"))
            }
            let (modelText, modelDocument) = try scan(model)
            var texts: [String] = [], documents: [MarkdownDocument] = []
            for mention in mentions {
                let (text, document) = try scan(mention)
                texts.append(text)
                documents.append(document)
            }
            concept = Concept(model: modelText, modelDocument: modelDocument, mentions: texts, mentionDocuments: documents)
        }
        let (questionText, questionDocument) = try scan(question)
        let (hintText, hintDocument) = try scan(hint)
        return Exercise(question: questionText, hint: hintText, questionDocument: questionDocument, hintDocument: hintDocument,
                        answers: answers, concept: concept, location: location, number: number)
    }

    /// One number to type: its reference looked up in its block, and what counts as right.
    private static func resolve(_ field: (value: String, location: SourceLocation), label: String?,
                                prompt: (text: String, document: MarkdownDocument)?, decimals: Int?, tolerance: Double?,
                                block blockName: (value: String, location: SourceLocation)?, line: Int, blocks: [AttentionBlock],
                                target: (String?, Int, SourceLocation) throws(Diagnostic) -> Int) throws(Diagnostic) -> Answer {
        var reference: TraceReference
        do {
            reference = try TraceReference.parse(field.value, at: field.location)
        } catch {
            // `answer: alpha[#0, #1]` loses `, #1]` to YAML: ` #` starts a comment.
            if field.value.contains("["), !field.value.contains("]") {
                throw Diagnostic(error.message, at: error.location, notes: ["in YAML ' #' starts a comment, so the rest of the line was dropped: quote the answer, e.g. answer: \"alpha[#0, #1]\""])
            }
            throw error
        }
        if reference.block == nil, let name = blockName { reference.block = name.value }
        let block = try target(reference.block, line, field.location)
        let resolution = try reference.resolve(in: blocks[block], at: field.location)
        let value: Double
        switch resolution.value {
        case .number(let x):
            guard x.isFinite else {
                throw Diagnostic("an exercise answer must be a finite number, and \(reference.text) is \(x < 0 ? "−∞" : "∞") "
                    + "(a masked score): ask for a weight or an unmasked score", at: field.location)
            }
            value = x
        case .integer(let k): value = Double(k)
        case .vector:
            throw Diagnostic("an exercise answer is one number: name a cell, e.g. answer: \(reference.matrix)[\(reference.row ?? "…"), …]", at: field.location)
        }
        let places = decimals ?? blocks[block].decimals
        let accepted: Bounds
        if let tolerance {
            accepted = Bounds(value - tolerance, value + tolerance).padded
        } else if let cell = resolution.cell {
            accepted = HandWork.accepted(HandWork.bounds(cell.event, row: cell.row, column: cell.column, part: cell.part, decimals: places), decimals: places)
        } else {
            // A size such as d_k or √d_k: exactly, or rounded to the decimals asked for.
            accepted = HandWork.accepted(Bounds(exactly: value).padded, decimals: places)
        }
        return Answer(label: label, prompt: prompt?.text, promptDocument: prompt?.document, reference: reference,
                      cell: resolution.cell, value: value, decimals: places, accepted: accepted, tolerance: tolerance, block: block)
    }

    private static func decimals(_ field: (value: String, location: SourceLocation)?) throws(Diagnostic) -> Int? {
        guard let field else { return nil }
        guard let d = Int(field.value), (0...8).contains(d) else {
            throw Diagnostic("decimals must be a whole number from 0 to 8, not '\(field.value)'", at: field.location)
        }
        return d
    }

    private static func tolerance(_ field: (value: String, location: SourceLocation)?) throws(Diagnostic) -> Double? {
        guard let field else { return nil }
        guard let x = Double(field.value), x.isFinite, x >= 0 else {
            throw Diagnostic("tolerance must be a number of at least 0, not '\(field.value)'", at: field.location)
        }
        return x
    }
}
