/// GitHub-style heading ids: `## Scaled Dot-Product Attention` → `scaled-dot-product-attention`.
///
/// `slug(_:)` lowercases, turns each space into `-`, keeps Unicode letters, marks, digits,
/// `-` and `_`, and drops everything else (punctuation, symbols, emoji): `我想吃酸菜鱼`
/// stays `我想吃酸菜鱼`, `What is αᵢⱼ?` becomes `what-is-αᵢⱼ`. `uniqueSlug(for:)` adds
/// `-1`, `-2`, … to repeats in document order, as GitHub does. A heading with no letters
/// or digits gets `section`, since an HTML id cannot be empty.
public struct HeadingSlugger: Sendable {
    private var used: Set<String> = []
    private var repeats: [String: Int] = [:]

    public init() {}

    /// The slug of `text`, not yet de-duplicated.
    public static func slug(_ text: String) -> String {
        var slug = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark,
                 .decimalNumber, .letterNumber, .otherNumber,
                 .connectorPunctuation:              // `_` and its relatives
                slug.append(scalar)
            case _ where scalar == "-":
                slug.append(scalar)
            case _ where scalar == " ":
                slug.append("-")
            default:
                break
            }
        }
        return slug.isEmpty ? "section" : String(slug)
    }

    /// The slug of `text`, made unique among the slugs this slugger has returned so far.
    public mutating func uniqueSlug(for text: String) -> String {
        let base = Self.slug(text)
        var slug = base
        if used.contains(base) {
            var n = repeats[base, default: 0]
            repeat {
                n += 1
                slug = "\(base)-\(n)"
            } while used.contains(slug)
            repeats[base] = n
        }
        used.insert(slug)
        return slug
    }
}
