extension Playground {
    /// `playground.css`: the form of the playground and the "Open in playground" links of
    /// served lesson pages, on top of the course's stylesheet (its colours and fonts).
    /// Only `attn serve` serves it.
    public static let stylesheet = """
        /* attn serve: the playground (not in built sites) */
        main.playground { max-width: var(--page); margin: 0 auto; }
        main.playground h1 { font-size: clamp(2rem, 1.3rem + 2.8vw, 2.6rem); margin: 0.5rem 0 0.5rem; }
        main.playground .lede { max-width: var(--measure); color: var(--muted); }
        .pg-form, .pg-examples { font: 0.95rem/1.5 var(--sans); max-width: 60rem; }
        .pg-examples { margin: 1.25rem 0; display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center; }
        .pg-examples label { font-weight: 600; }
        .pg-examples .pg-row { min-width: 0; max-width: 100%; flex-wrap: nowrap; }
        .pg-examples select { min-width: 0; flex: 1 1 auto; }
        .pg-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
        .pg-form label { font-weight: 600; }
        .pg-spec { margin: 0.75rem 0; }
        .pg-spec label { display: block; margin-bottom: 0.3rem; }
        .pg-spec textarea { box-sizing: border-box; width: 100%; font: 0.9rem/1.45 var(--mono); padding: 0.6rem 0.75rem; \
        background: var(--surface); color: var(--fg); border: 1px solid var(--line-strong); border-radius: 6px; tab-size: 2; }
        .pg-note { font-weight: 400; color: var(--muted); font-size: 0.9em; }
        .pg-form input[type="text"], .pg-form select, .pg-examples select { font: inherit; padding: 0.25rem 0.4rem; \
        background: var(--surface); color: var(--fg); border: 1px solid var(--line-strong); border-radius: 4px; max-width: 100%; }
        .pg-form button, .pg-examples button { font: inherit; padding: 0.35rem 0.8rem; border: 1px solid var(--line-strong); \
        border-radius: 6px; background: var(--panel); color: var(--fg); cursor: pointer; }
        .pg-form button:hover, .pg-examples button:hover { border-color: var(--accent); }
        .pg-form button.pg-primary { background: var(--accent); border-color: var(--accent); color: var(--bg); font-weight: 600; padding: 0.45rem 1.2rem; }
        .pg-submit { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
        .pg-limits { color: var(--muted); font-size: 0.85rem; }
        .pg-form fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem 0.75rem; margin: 0.75rem 0; }
        .pg-form legend { font-weight: 600; padding: 0 0.3rem; }
        .pg-field { display: flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; align-items: baseline; margin: 0.4rem 0; }
        .pg-field label { min-width: 7.5rem; }
        .pg-stages { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; }
        .pg-stages legend { font-weight: 400; }
        .pg-check { font-weight: 400 !important; white-space: nowrap; }
        .pg-problem { border: 1px solid var(--bad); border-left-width: 5px; border-radius: 6px; padding: 0.5rem 1rem; margin: 0.75rem 0; background: var(--surface); }
        .pg-problem-title { margin: 0.2rem 0 0.4rem; font-weight: 700; color: var(--bad); }
        .pg-problem pre { white-space: pre-wrap; margin: 0.4rem 0; }
        .pg-hint { margin: 0.3rem 0; color: var(--muted); font-size: 0.9rem; }
        .pg-permalink { font: 0.9rem/1.5 var(--sans); color: var(--muted); }
        .pg-empty { color: var(--muted); font-style: italic; }
        p.open-playground { margin: -0.4rem 0 0.75rem; font: 0.9rem/1.4 var(--sans); }
        p.open-playground a::before { content: "▶ "; font-size: 0.8em; }
        @media (max-width: 40rem) {
          .pg-field label { min-width: 0; width: 100%; }
          .pg-form fieldset { padding-inline: 0.6rem; }
        }
        """
}
