/// The course stylesheet: light and dark schemes, print, phone widths. No web fonts, no
/// network, no scripts: system fonts only. Written to `style.css`.
///
/// The α shading is a two-part ramp: weights up to `MatrixTable.hotThreshold` (class
/// `warm`) fade from the page colour to a light tint under dark text; heavier weights
/// (class `hot`) run from a mid to a deep tone under light text (in the dark scheme the
/// other way round). Each part keeps its text at WCAG AA contrast or better.
enum Stylesheet {
    static let css = """
        /* attn — course stylesheet. System fonts only; nothing is loaded from the network. */

        /* ---------- Colours ---------- */
        :root {
          color-scheme: light dark;
          --bg: #fbfaf6;
          --surface: #ffffff;
          --panel: #f5f2ea;
          --fg: #1b1d22;
          --muted: #565d6d;
          --line: #e1ded5;
          --line-strong: #bdb8ab;
          --accent: #1f4fbf;
          --accent-soft: #e9eefb;
          --mark: #c27700;
          --mark-text: #7a4a00;
          --mark-soft: #fff0cc;
          --code-bg: #efece4;
          --warm-to: #87a9ea;
          --hot-from: #3a64c2;
          --hot-to: #15378a;
          --hot-text: #ffffff;
          --pos: #2f62d0;
          --neg: #d4620f;
          --hatch: rgb(86 93 109 / 0.2);
          --focus-ring: #c27700;
          --ok: #1c7a3d;
          --bad: #b3261e;
          --scroll-shadow: rgb(27 29 34 / 0.28);
          --head-0: #2f62d0;
          --head-1: #d4620f;
          --head-2: #1c7a3d;
          --head-3: #8e3bbf;
          --serif: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Charter, "Bitstream Charter", "Source Serif 4", "Source Serif Pro", Georgia, "Noto Serif", "DejaVu Serif", serif;
          --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
          --mono: ui-monospace, "SF Mono", "Cascadia Mono", "Segoe UI Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
          --page: 78rem;
          --measure: 70ch;
          --gutter: 1.25rem;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #14161b;
            --surface: #1b1e25;
            --panel: #23262e;
            --fg: #e6e8ec;
            --muted: #a6adbb;
            --line: #2f333d;
            --line-strong: #4a505d;
            --accent: #93b4ff;
            --accent-soft: #1f2a45;
            --mark: #e8a63b;
            --mark-text: #f3c677;
            --mark-soft: #3b2d12;
            --code-bg: #262a33;
            --warm-to: #2d4b8c;
            --hot-from: #6392f2;
            --hot-to: #bcd0ff;
            --hot-text: #0d1016;
            --pos: #7ea5ff;
            --neg: #ff9d52;
            --hatch: rgb(166 173 187 / 0.26);
            --focus-ring: #f3b24a;
            --ok: #63d08e;
            --bad: #ff8f84;
            --scroll-shadow: rgb(0 0 0 / 0.7);
            --head-0: #7ea5ff;
            --head-1: #ff9d52;
            --head-2: #63d08e;
            --head-3: #d19bff;
          }
        }

        /* ---------- Page ---------- */
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.65 var(--serif); overflow-wrap: break-word; }
        a { color: var(--accent); text-underline-offset: 0.18em; text-decoration-thickness: 1px; }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid var(--focus-ring); outline-offset: 2px; border-radius: 2px; }
        .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
        h1, h2, h3, h4, h5, h6 { font-family: var(--sans); line-height: 1.25; text-wrap: balance; }
        code, kbd, samp { font-family: var(--mono); font-size: 0.88em; background: var(--code-bg); padding: 0.08em 0.3em; border-radius: 3px; }
        pre { font: 0.88rem/1.5 var(--mono); background: var(--code-bg); padding: 0.75rem 1rem; border-radius: 6px; overflow-x: auto; }
        pre code { background: none; padding: 0; font-size: inherit; }
        math { font-family: "STIX Two Math", "Latin Modern Math", "DejaVu Math TeX Gyre", math; }
        math[display="block"] { font-size: 1.12em; margin: 0.75rem 0; overflow-x: auto; overflow-y: hidden; max-width: 100%; }
        sub, sup { line-height: 0; }
        /* Inline fractions at the size of the text around them, not script size. */
        math:not([display="block"]) mfrac { math-style: normal; }
        var { font-family: var(--serif); font-style: italic; }

        .skip { position: absolute; left: 0.75rem; top: 0.75rem; z-index: 10; transform: translateY(-200%); background: var(--accent); \
        color: var(--bg); font: 600 1rem var(--sans); padding: 0.55rem 1rem; border-radius: 4px; text-decoration: none; }
        .skip:focus { transform: none; }

        header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1rem; \
        padding: 0.7rem max(var(--gutter), calc((100% - var(--page)) / 2)); background: var(--surface); \
        border-bottom: 1px solid var(--line); font-family: var(--sans); }
        .brand { display: inline-flex; align-items: center; gap: 0.5rem; color: var(--fg); font-weight: 700; font-size: 1.1rem; text-decoration: none; letter-spacing: 0.01em; }
        .logo { display: inline-grid; place-items: center; width: 1.7rem; height: 1.7rem; border-radius: 6px; background: var(--accent); \
        color: var(--surface); font: italic 700 1.15rem/1 var(--serif); }
        .tagline { color: var(--muted); font-size: 0.9rem; }
        main { padding: 2rem max(var(--gutter), calc((100% - var(--page)) / 2)) 3rem; }
        footer.site { border-top: 1px solid var(--line); padding: 1.25rem max(var(--gutter), calc((100% - var(--page)) / 2)) 2rem; \
        color: var(--muted); font: 0.875rem/1.5 var(--sans); text-align: center; }
        footer.site p { margin: 0 auto; max-width: var(--measure); }

        /* ---------- Lesson head, contents, prose ---------- */
        .kicker { margin: 0; font: 700 0.8rem/1.4 var(--sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--accent); }
        .lesson-head { max-width: var(--measure); }
        .lesson-head h1 { font-size: clamp(1.85rem, 1.2rem + 2.6vw, 2.6rem); margin: 0.3rem 0 0.6rem; letter-spacing: -0.01em; }
        .lesson-head .summary { font-size: 1.2rem; color: var(--muted); margin: 0 0 1.25rem; }
        section.objectives { border: 1px solid var(--line); border-left: 4px solid var(--accent); background: var(--surface); border-radius: 0 6px 6px 0; padding: 0.8rem 1.1rem; margin: 0 0 1.5rem; }
        section.objectives h2 { font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); margin: 0 0 0.35rem; }
        section.objectives ul { margin: 0; padding-left: 1.4rem; list-style: disc; }
        section.objectives li::marker { color: var(--accent); font-family: var(--sans); }

        nav.toc { font: 0.9rem/1.45 var(--sans); border: 1px solid var(--line); background: var(--surface); border-radius: 6px; padding: 0.8rem 1.1rem; margin: 0 0 2rem; max-width: var(--measure); }
        .toc-title { font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); margin: 0 0 0.4rem; }
        nav.toc ol { list-style: none; margin: 0; padding: 0; }
        nav.toc li { margin: 0.2rem 0; }
        nav.toc ol ol { padding-left: 0.9rem; margin: 0.15rem 0 0.35rem; border-left: 2px solid var(--line); font-size: 0.85rem; }
        nav.toc a { color: var(--fg); text-decoration: none; display: inline-block; padding: 0.05rem 0; }
        nav.toc ol ol a { color: var(--muted); }
        nav.toc a:hover { color: var(--accent); text-decoration: underline; }

        .lesson-body > :is(p, ul, ol, dl, blockquote, pre, h2, h3, h4, h5, h6), .lesson-body > table { max-width: var(--measure); }
        .lesson-body > h2 { font-size: 1.6rem; margin: 3rem 0 0.75rem; padding-top: 0.5rem; border-top: 1px solid var(--line); }
        .lesson-body > h3 { font-size: 1.25rem; margin: 2rem 0 0.5rem; }
        .lesson-body > h4, .lesson-body > h5 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
        .lesson-body > p > math[display="block"] { margin: 1rem 0; }
        .lesson-body > p:has(> math[display="block"]), li:has(> math[display="block"]), .formula { overflow-x: auto; overflow-y: hidden; max-width: 100%; }
        .lesson-body > table { display: block; overflow-x: auto; border-collapse: collapse; font: 0.95rem/1.4 var(--sans); margin: 1.25rem 0; }
        .lesson-body > table :is(th, td) { padding: 0.35rem 0.9rem; border-bottom: 1px solid var(--line); text-align: left; }
        .lesson-body > table thead th { border-bottom: 2px solid var(--line-strong); }
        blockquote { margin: 1.25rem 0; padding: 0.25rem 1rem; border-left: 3px solid var(--line-strong); color: var(--muted); }
        a.ref { font-family: var(--sans); font-size: 0.94em; font-variant-numeric: tabular-nums; color: var(--accent); \
        background: var(--accent-soft); padding: 0.02em 0.3em; border-radius: 3px; text-decoration: underline dotted; \
        text-underline-offset: 0.2em; -webkit-box-decoration-break: clone; box-decoration-break: clone; }

        /* ---------- Worked examples ---------- */
        section.trace { margin: 2.5rem 0; padding: 1.25rem 1.5rem 1.5rem; background: var(--surface); border: 1px solid var(--line); \
        border-top: 4px solid var(--accent); border-radius: 4px 4px 8px 8px; }
        section.trace > :is(h2, h3, h4, h5) { margin: 0 0 0.75rem; font-size: 1.4rem; }
        .example-num { display: block; font: 700 0.78rem/1.4 var(--sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--accent); margin-bottom: 0.15rem; }
        .trace-facts { font: 0.9rem/1.5 var(--sans); color: var(--muted); padding-bottom: 0.25rem; }
        .trace-facts .tokens { margin: 0 0 0.4rem; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.35rem; }
        .label { font: 700 0.72rem/1.4 var(--sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); margin-right: 0.35rem; }
        .tok { display: inline-block; font: 0.88rem/1.5 var(--mono); color: var(--fg); background: var(--bg); border: 1px solid var(--line-strong); border-radius: 4px; padding: 0 0.45em; }
        .tok.focus { background: var(--mark-soft); border-color: var(--mark); font-weight: 700; box-shadow: inset 0 -2px 0 var(--mark); }
        ul.facts { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.1rem 0; }
        ul.facts li:not(:last-child)::after { content: "·" / ""; margin: 0 0.55rem; color: var(--line-strong); }
        ul.facts strong { color: var(--mark-text); }

        section.stage { margin-top: 1.5rem; padding-top: 1.25rem; border-top: 1px solid var(--line); }
        section.stage > :is(h3, h4, h5, h6) { font-size: 1.1rem; margin: 0 0 0.6rem; }
        .badge { display: inline-block; margin-left: 0.2rem; padding: 0.3em 0.6em; border-radius: 999px; background: var(--accent-soft); \
        color: var(--accent); font: 700 0.7rem/1 var(--sans); letter-spacing: 0.06em; text-transform: uppercase; vertical-align: 0.2em; \
        white-space: nowrap; }
        .stage-math { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.25rem 2rem; margin: 0 0 0.9rem; }
        .formula { display: flex; flex-wrap: wrap; align-items: center; gap: 0 2.5rem; min-width: 0; max-width: 100%; overflow-x: auto; overflow-y: hidden; }
        .formula math[display="block"] { margin: 0.3rem 0; }
        .shape { margin: 0; font: 0.85rem/1.5 var(--sans); color: var(--muted); font-variant-numeric: tabular-nums; }
        .note { font-size: 0.95rem; color: var(--muted); max-width: var(--measure); margin: 0.75rem 0; }

        /* Tables: operands, then an arrow, then the result; they wrap when they do not fit. */
        .tables { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem 1.25rem; }
        .tables > .result { display: flex; align-items: center; gap: 1.25rem; min-width: 0; max-width: 100%; }
        .tables .op { flex: none; font: 1.6rem/1 var(--sans); color: var(--muted); padding-top: 1.2rem; }
        /* A table wider than its place scrolls sideways; shadows at the edges say there is more
           (they stay put while covers of the surface colour scroll with the content). */
        .scroll { position: relative; max-width: 100%; min-width: 0; overflow-x: auto; --cover: var(--surface);
          background: linear-gradient(to right, var(--cover) 40%, transparent) left / 2.5rem 100% no-repeat local,
                      linear-gradient(to left, var(--cover) 40%, transparent) right / 2.5rem 100% no-repeat local,
                      radial-gradient(farthest-side at 0 50%, var(--scroll-shadow), transparent) left / 0.9rem 100% no-repeat scroll,
                      radial-gradient(farthest-side at 100% 50%, var(--scroll-shadow), transparent) right / 0.9rem 100% no-repeat scroll; }
        .worked .scroll { --cover: var(--panel); }
        .lesson-body > .scroll { --cover: var(--bg); }
        .scroll:focus-visible { outline-offset: 4px; }
        table.matrix { border-collapse: collapse; font: 0.875rem/1.35 var(--sans); font-variant-numeric: tabular-nums lining-nums; margin: 0 0 0.25rem; }
        table.matrix caption { caption-side: top; text-align: left; padding: 0 0 0.35rem; white-space: nowrap; }
        caption .name { font: italic 1.1rem/1.2 var(--serif); color: var(--fg); }
        caption .name sub { font-size: 0.72em; }
        sub.word { font-style: normal; font-family: var(--sans); font-size: 0.68em; }
        table.matrix .group-start { border-left: 2px dashed var(--line-strong); }
        caption .dims { font: 0.78rem var(--sans); color: var(--muted); font-style: normal; }
        table.matrix :is(th, td) { padding: 0.24rem 0.6rem; white-space: nowrap; }
        table.matrix td { text-align: right; }
        table.matrix thead th { text-align: right; font-weight: 600; font-size: 0.8rem; color: var(--muted); border-bottom: 2px solid var(--line-strong); vertical-align: bottom; }
        table.matrix tbody th { text-align: left; font-weight: 600; color: var(--fg); border-right: 2px solid var(--line-strong); padding-right: 0.75rem; }
        table.matrix tbody tr > * { border-bottom: 1px solid var(--line); }
        table.matrix tbody tr:last-child > * { border-bottom: 0; }
        table.matrix .corner { border-bottom: 2px solid var(--line-strong); border-right: 2px solid var(--line-strong); }
        table.matrix .gap { color: var(--muted); text-align: center; }
        table.matrix tr.gap > * { padding-block: 0; line-height: 1.1; }
        table.matrix tr.focus > * { border-top: 2px solid var(--mark); border-bottom: 2px solid var(--mark); }
        table.matrix tr.focus > th { background: var(--mark-soft); color: var(--mark-text); }
        table.matrix tr.focus > th::before { content: "▸ " / ""; }
        table.matrix :is(td, th).focus { border-left: 2px solid var(--mark); border-right: 2px solid var(--mark); }
        table.matrix thead th.focus { background: var(--mark-soft); color: var(--mark-text); }
        table.matrix thead th.focus::before { content: "▾ " / ""; }
        table.worked-table tbody th { font-weight: 500; color: var(--muted); }
        table.worked-table tr.total > * { border-top: 2px solid var(--line-strong); font-weight: 700; color: var(--fg); }

        /* α shading: warm (≤ 0.55) under dark text, hot (> 0.55) under light text. */
        :is(td, .swatch).warm { background-color: rgb(60 100 200 / calc(var(--w) * 0.5)); background-color: color-mix(in oklab, var(--warm-to) calc(var(--w) / 0.55 * 100%), var(--surface)); }
        :is(td, .swatch).hot { color: var(--hot-text); background-color: var(--hot-from); background-color: color-mix(in oklab, var(--hot-to) calc((var(--w) - 0.55) / 0.45 * 100%), var(--hot-from)); }
        table.matrix td.hot { font-weight: 600; }
        :is(td, .swatch).masked { color: var(--muted); background-color: var(--surface); background-image: repeating-linear-gradient(135deg, var(--hatch) 0 1.5px, transparent 1.5px 5px); }
        .heat-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem; margin: 0.6rem 0 0; font: 0.8rem/1.4 var(--sans); color: var(--muted); }
        .swatch { display: inline-block; min-width: 2.6rem; padding: 0.1rem 0.35rem; text-align: right; \
        font-variant-numeric: tabular-nums; color: var(--fg); border: 1px solid var(--line); border-radius: 2px; }

        /* reveal: on-demand: results closed behind "Show …" until the student opens them. */
        .your-turn { border-left: 4px solid var(--mark); padding-left: 0.75rem; }
        details.reveal, details.head-tables { margin: 0.75rem 0 0; border: 1px dashed var(--line-strong); border-radius: 6px; padding: 0.4rem 0.8rem; }
        details.reveal[open], details.head-tables[open] { border-style: solid; padding-bottom: 0.9rem; }
        details.reveal > summary, details.head-tables > summary { cursor: pointer; font: 600 0.95rem/1.6 var(--sans); color: var(--accent); list-style: none; width: fit-content; }
        details.reveal > summary::-webkit-details-marker, details.head-tables > summary::-webkit-details-marker { display: none; }
        details.reveal > summary::before, details.head-tables > summary::before { content: "▸" / ""; display: inline-block; width: 1.1em; }
        details.reveal[open] > summary::before, details.head-tables[open] > summary::before { content: "▾" / ""; }
        details.reveal > summary sub, details.head-tables > summary sub { font-size: 0.75em; }

        /* Worked arithmetic: a panel of its own, names and results lined up. */
        .worked { margin: 1rem 0 0; padding: 0.75rem 1rem 0.85rem; background: var(--panel); border-left: 4px solid var(--mark); border-radius: 0 6px 6px 0; }
        .worked-title { margin: 0 0 0.5rem; font: 0.92rem/1.5 var(--sans); max-width: var(--measure); }
        .worked-title strong { color: var(--mark-text); }
        .worked ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); \
        column-gap: 0.6ch; font: 0.84rem/1.55 var(--mono); font-variant-numeric: tabular-nums; }
        .worked li { display: grid; grid-template-columns: subgrid; grid-column: 1 / -1; padding: 0.1rem 0; }
        .worked li > .arith { display: contents; }
        .arith .lhs { font-weight: 700; white-space: nowrap; }
        .arith .rhs { color: var(--fg); }
        .arith .result { font-weight: 700; background: var(--surface); padding: 0 0.25em; border-radius: 3px; box-shadow: 0 0 0 1px var(--line); white-space: nowrap; }
        .worked .scroll { margin-top: 0.25rem; }
        .worked table.matrix caption { font: 0.8rem var(--sans); color: var(--muted); }

        /* Pictures: geometry in the markup, colours here. */
        figure { margin: 1.25rem 0 0; }
        figcaption { font: 0.82rem/1.45 var(--sans); color: var(--muted); max-width: 60ch; margin-top: 0.35rem; }
        figure svg { display: block; max-width: 100%; height: auto; }
        figure.looks svg text { fill: var(--fg); font: 14px var(--sans); }
        figure.looks svg text.query { font-weight: 700; fill: var(--mark-text); }
        figure.looks svg text.weight { fill: var(--muted); font-variant-numeric: tabular-nums; }
        figure.looks svg line { stroke: var(--accent); stroke-linecap: round; }
        figure.heatmap svg .frame { fill: var(--surface); stroke: var(--line-strong); stroke-width: 1px; vector-effect: non-scaling-stroke; }
        figure.heatmap svg path { shape-rendering: crispEdges; }
        figure.heatmap svg .pos { stroke: var(--pos); }
        figure.heatmap svg .neg { stroke: var(--neg); }
        figure.heatmap svg text { fill: var(--muted); font: 11px var(--sans); }
        /* The data-flow diagram: across on wide screens, down on phones. */
        figure.dataflow { margin: 0.75rem 0 0.5rem; }
        figure.dataflow svg { overflow: visible; }
        figure.dataflow svg.down { display: none; }
        figure.dataflow .box rect { fill: var(--panel); stroke: var(--line-strong); stroke-width: 1.2px; }
        figure.dataflow .box .name { fill: var(--fg); font: italic 17px var(--serif); }
        figure.dataflow .box .sub { font: 10px var(--sans); font-style: normal; }
        figure.dataflow .box .shape { fill: var(--muted); font: 11px var(--sans); font-variant-numeric: tabular-nums; }
        figure.dataflow .edges path { fill: none; stroke: var(--muted); stroke-width: 1.4px; }
        figure.dataflow marker path { fill: var(--muted); }
        figure.dataflow .heads { fill: none; stroke: var(--accent); stroke-width: 1.2px; stroke-dasharray: 5 4; }
        figure.dataflow .heads-label { fill: var(--accent); font: 700 11px var(--sans); }
        @media (max-width: 40rem) {
          figure.dataflow svg.across { display: none; }
          figure.dataflow svg.down { display: block; }
        }
        /* Queries and keys as arrows (2-D): the query orange, the keys blue. */
        figure.vectors .axes line { stroke: var(--line-strong); stroke-width: 1px; }
        figure.vectors .ticks text { fill: var(--muted); font: 11px var(--sans); font-variant-numeric: tabular-nums; }
        figure.vectors .vector { stroke-width: 2.2px; stroke-linecap: round; }
        figure.vectors .vector.key { stroke: var(--accent); }
        figure.vectors .vector.query { stroke: var(--mark); stroke-width: 5px; stroke-opacity: 0.75; }
        figure.vectors marker.key path { fill: var(--accent); }
        figure.vectors marker.query path { fill: var(--mark); }
        figure.vectors .origin { fill: var(--accent); }
        figure.vectors .projection { stroke: var(--mark-text); stroke-width: 9px; stroke-opacity: 0.35; stroke-linecap: butt; }
        figure.vectors .drop { stroke: var(--muted); stroke-width: 1.2px; stroke-dasharray: 4 3; }
        figure.vectors .angle { fill: none; stroke: var(--fg); stroke-width: 1.2px; }
        figure.vectors .theta { fill: var(--fg); font: italic 14px var(--serif); }
        figure.vectors .labels text { fill: var(--fg); font: 14px var(--sans); }
        figure.vectors text { paint-order: stroke; stroke: var(--bg); stroke-width: 3px; stroke-linejoin: round; }
        figure.vectors .labels .sym { font: italic 15px var(--serif); }
        figure.vectors .labels .sub { font-size: 11px; }
        figure.vectors .labels .zero { fill: var(--muted); font-size: 12px; }
        figure.vectors figcaption ul { margin: 0.3rem 0 0; padding-left: 1.2rem; font-variant-numeric: tabular-nums; }
        /* Cross-attention: the source sentence above, the target below. */
        figure.cross svg line { stroke: var(--accent); stroke-linecap: round; }
        figure.cross .tok rect { fill: var(--panel); stroke: var(--line-strong); stroke-width: 1.2px; }
        figure.cross .tok text { fill: var(--fg); font: 14px var(--mono); }
        figure.cross .tok.focus rect { fill: var(--mark-soft); stroke: var(--mark); stroke-width: 2px; }
        figure.cross .tok.focus text { fill: var(--mark-text); font-weight: 700; }
        figure.cross .weight { fill: var(--fg); font: 12px var(--sans); font-variant-numeric: tabular-nums; paint-order: stroke; stroke: var(--surface); stroke-width: 3px; }
        figure.cross .row-title { fill: var(--muted); font: italic 12px var(--sans); }
        /* How heads split and join: one colour per head. */
        figure.heads-split .scroll { padding-bottom: 0.25rem; }
        figure.heads-split svg { max-width: none; }
        figure.heads-split .cells { fill: var(--panel); }
        figure.heads-split .outline { fill: none; stroke: var(--line-strong); stroke-width: 1.2px; }
        figure.heads-split .name { fill: var(--fg); font: italic 16px var(--serif); }
        figure.heads-split .sub { font: 10px var(--sans); font-style: normal; }
        figure.heads-split .shape { fill: var(--muted); font: 11px var(--sans); font-variant-numeric: tabular-nums; }
        figure.heads-split .op { fill: var(--fg); font: 20px var(--serif); }
        figure.heads-split .link { fill: none; stroke: var(--muted); stroke-width: 1.4px; }
        figure.heads-split .matrix.head-0 .name, figure.heads-split .matrix.head-1 .name, figure.heads-split .matrix.head-2 .name, figure.heads-split .matrix.head-3 .name { font-weight: 700; }
        figure.heads-split .cells.head-0 { fill: var(--head-0); fill-opacity: 0.45; }
        figure.heads-split .link.head-0, figure.heads-split .head-0 .outline { stroke: var(--head-0); }
        figure.heads-split .cells.head-1 { fill: var(--head-1); fill-opacity: 0.45; }
        figure.heads-split .link.head-1, figure.heads-split .head-1 .outline { stroke: var(--head-1); }
        figure.heads-split .cells.head-2 { fill: var(--head-2); fill-opacity: 0.45; }
        figure.heads-split .link.head-2, figure.heads-split .head-2 .outline { stroke: var(--head-2); }
        figure.heads-split .cells.head-3 { fill: var(--head-3); fill-opacity: 0.45; }
        figure.heads-split .link.head-3, figure.heads-split .head-3 .outline { stroke: var(--head-3); }
        svg.scale-legend { display: block; margin-top: 0.4rem; max-width: 100%; height: auto; }
        svg.scale-legend stop.pos { stop-color: var(--pos); }
        svg.scale-legend stop.neg { stop-color: var(--neg); }
        svg.scale-legend .bar { stroke: var(--line-strong); stroke-width: 1px; }
        svg.scale-legend line { stroke: var(--muted); }
        svg.scale-legend text { fill: var(--muted); font: 11px var(--sans); font-variant-numeric: tabular-nums; }

        /* ---------- Exercises ---------- */
        section.exercises { margin-top: 3rem; }
        section.exercises > ol { list-style: none; margin: 0; padding: 0; }
        li.exercise { max-width: var(--measure); margin: 1rem 0; padding: 1rem 1.25rem 0.5rem; background: var(--surface); border: 1px solid var(--line); border-radius: 8px; }
        .exercise-title { margin: 0; font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--accent); }
        .question > :first-child { margin-top: 0.35rem; }
        li.exercise details { border-top: 1px solid var(--line); padding: 0.45rem 0; }
        li.exercise summary { cursor: pointer; font: 600 0.95rem/1.6 var(--sans); color: var(--accent); list-style: none; width: fit-content; }
        li.exercise summary::-webkit-details-marker { display: none; }
        li.exercise summary::before { content: "▸" / ""; display: inline-block; width: 1.1em; }
        li.exercise details[open] > summary::before { content: "▾" / ""; }
        li.exercise details[open] { padding-bottom: 0.75rem; }
        li.exercise details > :not(summary) { margin: 0.5rem 0 0; }
        details.solution[open] > :not(summary) { padding: 0.5rem 0.85rem; background: var(--panel); border-left: 4px solid var(--mark); margin: 0; }
        details.solution[open] > summary { margin-bottom: 0.4rem; }
        .answer { font-family: var(--sans); font-size: 1.1em; font-variant-numeric: tabular-nums; color: var(--mark-text); }
        p.arith { font: 0.84rem/1.6 var(--mono); overflow-wrap: anywhere; }
        .answer-line { font-size: 0.98rem; }
        .exercises-note { font: 0.9rem/1.5 var(--sans); color: var(--muted); max-width: var(--measure); }
        .accepted { font: 0.88rem/1.5 var(--sans); color: var(--muted); }
        /* Answer boxes: the pattern accepts exactly the right answers, so :valid is "right". */
        .answer-box { display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem 0.6rem; margin: 0.6rem 0; font: 0.95rem/1.5 var(--sans); }
        .answer-box label { font-weight: 600; }
        .answer-box .precision { font-weight: 400; color: var(--muted); }
        .answer-box input { font: 1rem/1.3 var(--mono); width: 11rem; max-width: 100%; padding: 0.3rem 0.5rem; \
        border: 2px solid var(--line-strong); border-radius: 5px; background: var(--bg); color: var(--fg); }
        .answer-box textarea { display: block; width: 100%; margin-top: 0.3rem; font: 1rem/1.5 var(--serif); padding: 0.4rem 0.55rem; \
        border: 2px solid var(--line-strong); border-radius: 5px; background: var(--bg); color: var(--fg); }
        .answer-box.concept { display: block; }
        .answer-box :is(input, textarea):focus-visible { outline: 3px solid var(--focus-ring); outline-offset: 1px; }
        .answer-box input:not(:placeholder-shown):valid { border-color: var(--ok); }
        .answer-box input:not(:placeholder-shown):invalid { border-color: var(--bad); }
        .answer-state { font-weight: 700; }
        .answer-box input:not(:placeholder-shown):valid + .answer-state::after { content: "✓ right"; color: var(--ok); }
        .answer-box input:not(:placeholder-shown):invalid + .answer-state::after { content: "✗ not yet: check each step against the hint"; color: var(--bad); }
        ol.parts { margin: 0.5rem 0; padding-left: 1.6rem; }
        ol.parts > li { margin: 0.35rem 0; }
        ol.parts .prompt > p { margin: 0; }
        ul.mentions { list-style: none; padding-left: 0.2rem; }
        ul.mentions li { margin: 0.25rem 0; }
        ul.mentions input { margin-right: 0.35rem; accent-color: var(--ok); }
        section.answer-key { display: none; }

        /* ---------- Pager, course outline ---------- */
        nav.pager { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: stretch; gap: 0.75rem; margin-top: 3rem; \
        padding-top: 1.5rem; border-top: 1px solid var(--line); font-family: var(--sans); }
        nav.pager a { display: flex; flex-direction: column; justify-content: center; gap: 0.1rem; padding: 0.7rem 1rem; \
        border: 1px solid var(--line); border-radius: 8px; background: var(--surface); text-decoration: none; color: var(--fg); \
        font-weight: 600; line-height: 1.35; max-width: 100%; }
        nav.pager a:hover { border-color: var(--accent); }
        nav.pager .dir { font-size: 0.78rem; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; color: var(--accent); }
        nav.pager .up { color: var(--accent); }
        nav.pager .prev { margin-right: auto; }
        nav.pager .next { margin-left: auto; text-align: right; }

        main.index, main.guide { max-width: calc(var(--measure) + 2 * max(var(--gutter), calc((100% - var(--page)) / 2))); padding-inline: var(--gutter); margin: 0 auto; }
        main.index h1 { font-size: clamp(2rem, 1.3rem + 2.8vw, 2.8rem); margin: 0.5rem 0 0.75rem; letter-spacing: -0.01em; }
        .lede { font-size: 1.2rem; color: var(--muted); margin: 0 0 2rem; }
        ol.outline { list-style: none; margin: 0; padding: 0; }
        ol.outline > li { margin: 0 0 1rem; }
        ol.outline a.card { display: block; padding: 1.1rem 1.3rem; background: var(--surface); border: 1px solid var(--line); \
        border-left: 4px solid var(--accent); border-radius: 0 8px 8px 0; color: var(--fg); text-decoration: none; }
        ol.outline a.card:hover { border-color: var(--accent); box-shadow: 0 1px 6px rgb(0 0 0 / 0.08); }
        ol.outline a.card:hover h2 { color: var(--accent); text-decoration: underline; text-decoration-thickness: 2px; }
        ol.outline .kicker, ol.outline .summary, ol.outline .goals-label { display: block; }
        ol.outline h2 { margin: 0.2rem 0 0.35rem; font-size: 1.35rem; }
        ol.outline .summary { margin: 0 0 0.5rem; color: var(--muted); }
        ol.outline .goals-label { font: 700 0.72rem/1.4 var(--sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
        ol.outline ul.objectives { margin: 0.15rem 0 0; padding-left: 1.2rem; font-size: 0.95rem; list-style: disc; }
        ol.outline ul.objectives li::marker { color: var(--line-strong); }

        /* ---------- Wide screens: contents in a sticky sidebar ---------- */
        @media (min-width: 68rem) {
          main.lesson article { display: grid; grid-template-columns: 13.5rem minmax(0, 1fr); grid-template-rows: auto 1fr; column-gap: 3rem; }
          .lesson-head { grid-column: 2; grid-row: 1; }
          nav.toc { grid-column: 1; grid-row: 1 / span 2; align-self: start; position: sticky; top: 1.25rem; \
        max-height: calc(100vh - 2.5rem); overflow-y: auto; margin: 0.4rem 0 0; padding: 0 0 0 0.9rem; border: 0; \
        border-left: 2px solid var(--line); border-radius: 0; background: none; }
          .lesson-body { grid-column: 2; grid-row: 2; min-width: 0; }
          nav.pager { margin-left: 16.5rem; }
        }

        /* ---------- Phones ---------- */
        @media (max-width: 40rem) {
          :root { --gutter: 1rem; }
          body { font-size: 1rem; }
          math[display="block"] { font-size: 1em; }
          /* An inline formula too long for the line: its paragraph or item scrolls, not the page. */
          li:has(> math), .lesson-body > p:has(> math) { overflow-x: auto; overflow-y: hidden; }
          /* Its own bullet inside the scrolling box (an outside marker would be clipped). */
          ul > li:has(> math) { list-style: none; position: relative; padding-left: 1.6em; margin-left: -1.6em; }
          ul > li:has(> math)::before { content: "•" / ""; position: absolute; left: 0.55em; color: var(--accent); }
          main { padding-top: 1.25rem; }
          .tagline { display: none; }
          section.trace { margin-inline: calc(-1 * var(--gutter)); padding: 1rem var(--gutter) 1.25rem; border-inline: 0; border-radius: 0; }
          .stage-math { display: block; }
          .tables > .result { gap: 0.6rem; }
          .worked { margin-inline: calc(-1 * var(--gutter)); border-radius: 0; padding-inline: var(--gutter); border-left-width: 4px; }
          .worked ul { display: block; font-size: 0.8rem; }
          .worked li { display: block; padding: 0.3rem 0; border-bottom: 1px dashed var(--line-strong); }
          .worked li:last-child { border-bottom: 0; }
          .worked li > .arith { display: inline; }
          nav.pager { flex-direction: column; }
          nav.pager .prev, nav.pager .next { margin: 0; }
          li.exercise { padding-inline: 1rem; }
        }

        /* ---------- Print ---------- */
        @media print {
          :root {
            --bg: #fff; --surface: #fff; --panel: #f4f4f4; --fg: #000; --muted: #444; --line: #ccc; --line-strong: #888;
            --accent: #1f4fbf; --accent-soft: #eef2fb; --mark: #b06c00; --mark-text: #6b4100; --mark-soft: #fff0cc; --code-bg: #f2f2f2;
            --warm-to: #87a9ea; --hot-from: #3a64c2; --hot-to: #15378a; --hot-text: #fff; --pos: #2f62d0; --neg: #d4620f; --hatch: rgb(0 0 0 / 0.25);
            --head-0: #2f62d0; --head-1: #d4620f; --head-2: #1c7a3d; --head-3: #8e3bbf;
          }
          @page { margin: 16mm 14mm; }
          body { font-size: 10.5pt; line-height: 1.5; background: #fff; }
          .skip, nav.toc, nav.pager, .tagline { display: none; }
          header.site { padding: 0 0 6pt; background: none; border-bottom: 1pt solid var(--line); }
          main, footer.site { padding: 0; }
          main.lesson article { display: block; }
          footer.site { margin-top: 12pt; padding-top: 6pt; }
          a { color: inherit; text-decoration: none; }
          a.ref { background: none; padding: 0; text-decoration: underline dotted; }
          .lesson-body > h2 { break-before: auto; }
          h1, h2, h3, h4, h5, h6, .example-num, .stage-math, caption { break-after: avoid; }
          section.trace { border: 1pt solid var(--line-strong); border-top: 3pt solid var(--accent); padding: 8pt 10pt; margin: 12pt 0; }
          section.stage { break-inside: auto; }
          section.stage > :is(h3, h4, h5, h6) { break-after: avoid; }
          .scroll { overflow: visible; background: none; }
          table.matrix, figure, .worked, .heat-legend, li.exercise, section.objectives, .tables > .scroll { break-inside: avoid; }
          table.matrix tr { break-inside: avoid; }
          .worked { border-left: 3pt solid var(--mark); }
          figure svg { max-width: 60%; }
          td, .swatch, .tok, .badge, .worked, figure svg, tr.focus > th { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
          li.exercise details { padding-bottom: 4pt; }
          li.exercise summary { color: var(--fg); }
          li.exercise summary::before { content: "" / ""; width: 0; }
          /* Questions print with a line to write on; the answers come on a page of their own. */
          li.exercise details.hint, li.exercise details.solution, .answer-state, .exercises-note { display: none; }
          .answer-box input { border: none; border-bottom: 1pt solid #000; border-radius: 0; width: 16em; background: none; }
          .answer-box textarea { border: none; border-bottom: 1pt solid #000; border-radius: 0; height: 6em; background: none; resize: none; }
          section.answer-key { display: block; break-before: page; }
        }
        /* Closed hints and solutions still print (where the browser can show a closed <details>'s content). */
        @media print {
          details::details-content { content-visibility: visible; display: block; }
        }

        @media (prefers-reduced-motion: reduce) {
          * { transition: none !important; }
        }
        """
}
