import AttentionEngine

/// A trace for a student in a terminal: each stage with its formula and shapes, aligned
/// labelled matrices (elided NumPy-style when large), and for a focus token the worked
/// arithmetic of its ω row, α row and context vector. Control characters in token labels
/// (a line feed, an ANSI escape) are printed as escapes (`TerminalText`).
public struct TextTrace {
    public var decimals: Int
    /// The query token (row index) whose arithmetic is worked out, if any.
    public var focus: Int?
    /// Matrices with more rows or columns than these show the first and last `edge` items.
    public var maxRows = 10
    public var maxColumns = 8
    public var edge = 3
    /// The stages to print (a lesson block's `show:`); nil prints every stage.
    public var stages: [Stage]?

    public init(decimals: Int = 4, focus: Int? = nil) {
        self.decimals = decimals
        self.focus = focus
    }

    public func render(_ trace: Trace) -> String {
        var out: [String] = []
        let worked = Worked(decimals: decimals)
        for event in trace.events where stages?.contains(event.stage) ?? true {
            let head = event.head.map { " · head \($0)" } ?? ""
            out.append("── \(event.stage.rawValue)\(head) ── \(event.formula)")
            out.append("   \(event.shapeSummary)")
            out.append(contentsOf: table(event).map { "   " + $0 })
            if focus != nil, event.stage == .tiling {
                out.append(contentsOf: onlineLines(event, worked).map { "   " + $0 })
            }
            if let focus, event.stage != .decoding || event.decodeToken == focus, let row = focusRow(event, focus) {
                out.append(contentsOf: workedLines(event, row, worked).map { "   " + $0 })
            }
            out.append("")
        }
        return out.map(TerminalText.escaped).joined(separator: "\n")
    }

    /// The row of `event` that holds the focus token's numbers: its own row (kept rows
    /// counted), or the only row of a decode step; the online softmax's rows are all the focus token's.
    func focusRow(_ event: TraceEvent, _ focus: Int) -> Int? {
        switch event.stage {
        case .decoding: return 0
        case .tiling: return nil
        default: return event.localRow(focus)
        }
    }

    func workedLines(_ event: TraceEvent, _ i: Int, _ worked: Worked) -> [String] {
        let label = event.rowLabels[i]
        if case .softmax = event.explain(row: i, column: 0), event.stage == .decoding {
            return ["worked, row \(label) (stable softmax):"] + worked.softmaxRow(event, row: i, elide: elide).map { "  " + $0 }
        }
        if event.weightedRows(of: i) != nil {
            return ["worked, row \(label):"] + worked.contextRow(event, row: i, elide: elide).map { "  " + $0 }
        }
        switch event.stage {
        case .similarity, .scaling, .masking, .rotary, .decoding, .dropout:
            return ["worked, row \(label):"] + workedCells(event, i, worked)
        case .normalization:
            return ["worked, row \(label) (stable softmax):"] + worked.softmaxRow(event, row: i, elide: elide).map { "  " + $0 }
        case .context:
            return ["worked, row \(label):"] + workedCells(event, i, worked)
        case .backward where Worked.gradientHasQueryRows(event):
            if case .gradient(.softmax) = event.explain(row: i, column: 0) {
                return ["worked, row \(label) (softmax backward):"] + worked.softmaxBackwardRow(event, row: i, elide: elide).map { "  " + $0 }
            }
            return ["worked, row \(label):"] + workedCells(event, i, worked)
        default:
            return []
        }
    }

    /// The online softmax's steps, all of them the focus row's: each statistic worked out.
    func onlineLines(_ event: TraceEvent, _ worked: Worked) -> [String] {
        guard event.name == "online" else { return [] }
        return (0..<event.values.rows).flatMap { r in
            ["worked, \(event.rowLabels[r]):"] + (0..<event.values.columns).map { "  " + worked.cell(event, row: r, column: $0).text }
        }
    }

    /// One line per shown column of row i, "…" where columns are elided.
    func workedCells(_ event: TraceEvent, _ i: Int, _ worked: Worked) -> [String] {
        let columns = elide(event.values.columns)
        var lines = worked.lines(event, row: i, columns: columns.compactMap { $0 }).map { "  " + $0.text }.makeIterator()
        return columns.map { $0 == nil ? "  …" : lines.next()! }
    }

    /// Indices to show out of `count`, with nil where the middle is elided.
    func elide(_ count: Int) -> [Int?] {
        count > maxColumns ? Array(0..<edge) + [nil] + Array((count - edge)..<count) : Array(0..<count)
    }

    func table(_ event: TraceEvent) -> [String] {
        let m = event.values
        let rows: [Int?] = m.rows > maxRows ? Array(0..<edge) + [nil] + Array((m.rows - edge)..<m.rows) : Array(0..<m.rows)
        let columns = elide(m.columns)
        let places = NumberFormat.decimals(for: m.storage, decimals)   // whole numbers print as integers
        var grid: [[String]] = [[""] + columns.map { $0.map { TerminalText.escaped(event.columnLabels[$0]) } ?? "…" }]
        for i in rows {
            guard let i else { grid.append(["⋮"] + columns.map { _ in "⋮" }); continue }
            grid.append([TerminalText.escaped(event.rowLabels[i])] + columns.map { $0.map { NumberFormat.fixed(m[i, $0], decimals: places) } ?? "…" })
        }
        let widths = (0..<grid[0].count).map { c in grid.map { displayWidth($0[c]) }.max() ?? 0 }
        return grid.map { row in
            row.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - displayWidth(text))
                return c == 0 ? text + pad : pad + text      // labels left, numbers right
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

/// One line per event: stage, head, name, shape. Cheap to print for any size.
public enum SummaryTrace {
    public static func render(_ trace: Trace) -> String {
        trace.events.map { event in
            "\(event.stage.rawValue)\t\(event.head.map(String.init) ?? "-")\t\(event.name)\t\(event.shape)"
                + (event.kept.map { kept in "\tkept row \(kept.indices.map(String.init).joined(separator: ",")), "
                    + "values in [\(kept.minimum.map { NumberFormat.roundTrip($0) } ?? "-"), "
                    + "\(kept.maximum.map { NumberFormat.roundTrip($0) } ?? "-")]" } ?? "")
        }.joined(separator: "\n") + "\n"
    }
}

/// Terminal columns a string takes: East Asian wide characters and emoji take two,
/// combining marks none.
public func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        let v = scalar.value
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark || v == 0x200B { return width }
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        return width + (wide ? 2 : 1)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
