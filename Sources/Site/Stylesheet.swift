/// The course stylesheet: light and dark schemes, print, phone widths. No web fonts, no
/// network: system fonts only.
enum Stylesheet {
    static let css = """
        :root { color-scheme: light dark; --bg: #fdfcf9; --fg: #1d1f24; --muted: #5b6170; --line: #d9dce3; --accent: #2456c7; --heat: 36 86 199; --code: #f2f1ec; }
        @media (prefers-color-scheme: dark) { :root { --bg: #16181d; --fg: #e6e7ea; --muted: #a3a8b4; --line: #343844; --accent: #8fb0ff; --heat: 96 140 255; --code: #20232a; } }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.6 system-ui, sans-serif; }
        .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        table.matrix td { text-align: right; font-variant-numeric: tabular-nums; }
        table.heat td { background-color: rgb(var(--heat) / calc(var(--w) * 0.85)); }
        table.heat td.hot { color: #fff; }
        .scroll { overflow-x: auto; }
        """
}
