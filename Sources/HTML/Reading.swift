// Reading a tree back, for checks on a page that was built (e.g. which anchors it has).

extension Node {
    /// The value of every `id` attribute in this tree, in document order. Trusted HTML is
    /// text to the tree: each piece is handed to `inTrustedHTML`, which returns its ids.
    public func ids(inTrustedHTML: (String) -> [String]) -> [String] {
        var ids: [String] = []
        collectIDs(into: &ids, inTrustedHTML)
        return ids
    }

    private func collectIDs(into ids: inout [String], _ inTrustedHTML: (String) -> [String]) {
        switch content {
        case .text:
            break
        case .trustedHTML(let html):
            ids += inTrustedHTML(html)
        case .fragment(let nodes):
            for node in nodes { node.collectIDs(into: &ids, inTrustedHTML) }
        case .element(_, let attributes, let children):
            for attribute in attributes.list where attribute.name == "id" {
                if let value = attribute.value { ids.append(value) }
            }
            for child in children { child.collectIDs(into: &ids, inTrustedHTML) }
        }
    }
}
