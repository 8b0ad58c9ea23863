extension HTMLReportWriter {
    /// The page's only style sheet. Plain CSS without the characters `<`, `>`, `&` and `"`: libxml2 escapes
    /// them in text and browsers do not unescape the content of `<style>`.
    static let stylesheet = """
        :root { color-scheme: light; --pass: #1f7a3a; --fail: #b3261e; --error: #8e24aa; --skip: #8a6d00;
          --warn: #a15c00; --line: #d8dce3; --muted: #5f6672; --soft: #f4f6f9; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1200px; padding: 24px; color: #1c1f24; background: #ffffff;
          font: 15px/1.45 system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 0 0 8px; }
        h3 { font-size: 17px; margin: 0 0 8px; }
        h4 { font-size: 14px; margin: 16px 0 6px; color: var(--muted); text-transform: uppercase;
          letter-spacing: 0.04em; }
        header { border-bottom: 1px solid var(--line); padding-bottom: 16px; margin-bottom: 24px; }
        header nav ul { list-style: none; padding: 0; margin: 12px 0 0; display: flex; gap: 16px; flex-wrap: wrap; }
        a { color: #1d5fbf; }
        .meta { color: var(--muted); margin: 0 0 8px; }
        .verdict { display: inline-block; font-weight: 600; padding: 2px 10px; border-radius: 4px; margin: 4px 0; }
        .verdict.passed { color: #ffffff; background: var(--pass); }
        .verdict.failed { color: #ffffff; background: var(--fail); }
        ul.counts { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; padding: 0; margin: 12px 0; }
        ul.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; background: var(--soft);
          min-width: 84px; }
        ul.counts .count { display: block; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
        ul.counts .label { color: var(--muted); font-size: 13px; }
        ul.counts li.passed .count { color: var(--pass); }
        ul.counts li.failed .count { color: var(--fail); }
        ul.counts li.errored .count { color: var(--error); }
        ul.counts li.skipped .count { color: var(--skip); }
        ul.counts li.warning .count { color: var(--warn); }
        section.suite { margin: 0 0 40px; }
        section.case { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 12px 16px;
          margin: 16px 0; }
        section.case.passed { border-left-color: var(--pass); }
        section.case.failed { border-left-color: var(--fail); }
        section.case.errored { border-left-color: var(--error); }
        section.case.skipped { border-left-color: var(--skip); }
        section.case h3 .name { margin-left: 8px; }
        section.case summary { cursor: pointer; }
        section.case summary h3 { display: inline; margin: 0; }
        section.case details[open] summary { margin-bottom: 8px; }
        p.common-cause { font-weight: 600; color: var(--fail); background: var(--soft); border-left: 6px solid var(--fail);
          border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
        .badge { display: inline-block; min-width: 52px; text-align: center; font-size: 12px; font-weight: 700;
          letter-spacing: 0.05em; color: #ffffff; border-radius: 4px; padding: 1px 6px; }
        .badge.passed { background: var(--pass); }
        .badge.failed { background: var(--fail); }
        .badge.errored { background: var(--error); }
        .badge.skipped { background: var(--skip); }
        table { border-collapse: collapse; margin: 8px 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
        th { background: var(--soft); font-size: 13px; color: var(--muted); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.cases { width: 100%; }
        table.values td { font-variant-numeric: tabular-nums; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
          font-size: 13px; overflow-wrap: anywhere; }
        .reason { padding: 6px 10px; border-radius: 4px; background: var(--soft); }
        .reason.skipped { color: var(--skip); }
        .reason.errored { color: var(--error); }
        ul.findings { list-style: none; padding: 0; margin: 8px 0; }
        ul.findings li { padding: 3px 0; }
        ul.findings .severity { display: inline-block; min-width: 64px; font-size: 12px; font-weight: 700;
          text-transform: uppercase; }
        ul.findings li.failure .severity { color: var(--fail); }
        ul.findings li.warning .severity { color: var(--warn); }
        ul.findings li.note .severity { color: var(--muted); }
        ul.findings .check { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;
          background: var(--soft); border-radius: 3px; padding: 0 4px; margin-right: 6px; }
        pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 10px; margin: 8px 0;
          font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap;
          overflow-wrap: anywhere; }
        details summary { cursor: pointer; color: var(--muted); margin: 8px 0; }
        svg.chart { display: block; width: 100%; max-width: 720px; height: auto; margin: 8px 0; }
        svg.chart .bar { fill: #5b8def; }
        svg.chart .axis { stroke: #6b7280; stroke-width: 1; }
        svg.chart .tick { stroke: #6b7280; stroke-width: 1; }
        svg.chart .marker { stroke-width: 1.5; stroke-dasharray: 4 3; }
        svg.chart .marker.p50 { stroke: #1f7a3a; }
        svg.chart .marker.p95 { stroke: #b3261e; }
        svg.chart text { font: 11px system-ui, sans-serif; fill: #3f4650; }
        svg.chart text.p50 { fill: #1f7a3a; font-weight: 600; }
        svg.chart text.p95 { fill: #b3261e; font-weight: 600; }
        p.top { margin: 8px 0 0; font-size: 13px; }
        p.legend { color: var(--muted); font-size: 12.5px; margin: 4px 0 12px; }
        section.warnings ul { padding-left: 18px; margin: 4px 0 12px; }
        section.warnings li { padding: 2px 0; }
        section.warnings .check { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
          font-size: 13px; background: var(--soft); border-radius: 3px; padding: 0 4px; margin: 0 6px; }
        details.response pre.body { max-height: 480px; overflow: auto; }
        """
}
