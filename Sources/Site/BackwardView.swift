import AttentionEngine
import HTML
import TraceFormat

/// The backward stage on a page: the focus token's row of a gradient, worked.
extension TraceView {
    /// The softmax backward of the focus row as a table (α, dα, their products, dα − Σ, the
    /// result); for other gradients one line of arithmetic per shown column.
    func workedGradient(_ event: TraceEvent, _ i: Int) -> Node? {
        let label = event.rowLabels[i]
        switch event.explain(row: i, column: 0) {
        case .given:
            return nil
        case .gradient(.softmax(let row, _, _)):
            let keys = MatrixTable.shown(row.alpha.count)
            let cells = MatrixTable(name: "", matrix: .zeros(0, 0), rowLabels: [], columnLabels: [], decimals: decimals, heat: false)
            func tableRow(_ title: String, _ values: [Double]) -> Node {
                .element("tr", [.element("th", ["scope": "row"], [.text(title)])] + keys.map { j in
                    j.map { cells.cell(values[$0], masked: row.masked[$0], places: NumberFormat.decimals(for: values, decimals)) } ?? .element("td", ["class": "gap"], ["…"])
                })
            }
            let header = Node.element("tr", [.element("th", ["scope": "col"], [.element("span", ["class": "sr-only"], ["step"])])] + keys.map { j in
                j.map { .element("th", ["scope": "col"], [.text(event.columnLabels[$0])]) } ?? .element("th", ["scope": "col"], ["…"])
            })
            return .element("div", ["class": "worked"], [
                .element("p", ["class": "worked-title"], [.text("Worked for "), .element("strong", [.text(label)]),
                    .text(": Σ α·dα = \(worked.number(row.rowSum)), the α-weighted average of dα; "
                        + "each score's gradient is its α times how far its dα is "
                        + "above that average" + (row.masked.contains(true) ? ", and 0 for a masked key." : "."))]),
                .element("div", ["class": "scroll", "role": "region", "tabindex": "0", "aria-label": .string("Softmax backward of the row of \(label)")], [
                    .element("table", ["class": "matrix worked-table"], [
                        .element("caption", [.text("Softmax backward of the row of \(label)")]),
                        .element("thead", [header]),
                        .element("tbody", [
                            tableRow("α", row.alpha),
                            tableRow("dα", row.dAlpha),
                            tableRow("α·dα", row.products),
                            tableRow("dα − Σ α·dα", row.dAlpha.map { $0 - row.rowSum }),
                            tableRow("\(event.name) = α·(dα − Σ)", row.terms),
                        ]),
                    ]),
                ]),
            ])
        default:
            let columns = MatrixTable.shown(event.values.columns).compactMap { $0 }
            let items = worked.lines(event, row: i, columns: columns).map(line)
            return .element("div", ["class": "worked"], [
                .element("p", ["class": "worked-title"], [.text("Worked for "), .element("strong", [.text(label)])]
                         + (columns.count == event.values.columns ? [] : [.text(" (the first and last columns)")])),
                .element("ul", items),
            ])
        }
    }
}
