"""The report page's CSS: inline in ``report.html`` (no fonts, images or files to fetch)."""

from __future__ import annotations

from agent.report.chart import CHART_CSS

_PAGE_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: #1f2328;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 15px; margin: 20px 0 8px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas,
  "Liberation Mono", monospace; font-size: 12.5px; }
code { background: #eff1f3; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
.muted { color: #59636e; }
.subtitle { color: #59636e; margin: 0 0 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(125px, 1fr)); gap: 10px;
  margin: 16px 0 8px; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; }
.card .n { font-size: 22px; font-weight: 600; display: block; }
.card .k { color: #59636e; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.failed .n { color: #cf222e; }
.card.needs_human .n { color: #9a6700; }
.card.changed .n { color: #1a7f37; }
.panel { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 18px;
  margin: 12px 0; overflow-x: auto; }
.panel.alert { border-color: #ff8182; background: #fff8f8; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e6e9ec;
  vertical-align: top; }
th { font-size: 12px; color: #59636e; font-weight: 600; background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.path { overflow-wrap: anywhere; min-width: 300px; }
td.names code { white-space: nowrap; }
td.nowrap { white-space: nowrap; }
h1 code { font-size: 0.85em; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.b-changed, .b-passed { background: #dafbe1; color: #116329; border-color: #aceebb; }
.b-no_references, .b-skipped, .b-aborted { background: #eff1f3; color: #424a53;
  border-color: #d0d7de; }
.b-needs_human { background: #fff8c5; color: #7d4e00; border-color: #eac54f; }
.b-failed { background: #ffebe9; color: #a40e26; border-color: #ff8182; }
.b-dry { background: #ddf4ff; color: #0550ae; border-color: #80ccff; }
section.repo { background: #fff; border: 1px solid #d0d7de; border-radius: 8px;
  padding: 4px 20px 16px; margin: 18px 0; }
section.repo > h2 { border: 0; margin-top: 14px; display: flex; gap: 10px; align-items: center; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.facts dt { color: #59636e; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.error { color: #a40e26; }
ul.checklist { list-style: none; padding-left: 4px; }
ul.checklist li::before { content: "\\2610"; margin-right: 8px; color: #9a6700; }
details > summary { cursor: pointer; font-weight: 600; margin: 14px 0 8px; }
pre.diff { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 0;
  padding: 8px 0; overflow: auto; max-height: 720px; line-height: 1.45; }
pre.diff span { display: block; padding: 0 12px; white-space: pre; min-height: 1.45em; }
pre.diff .add { background: #e6ffec; color: #116329; }
pre.diff .del { background: #ffebe9; color: #a40e26; }
pre.diff .hunk { background: #f0f2f4; color: #59636e; }
pre.diff .meta { color: #424a53; font-weight: 600; }
.note { border-left: 3px solid #d4a72c; background: #fff8c5; padding: 6px 10px; margin: 8px 0; }
.stat-add { color: #1a7f37; font-weight: 600; }
.stat-del { color: #cf222e; font-weight: 600; }
.charts { display: grid; gap: 8px; }
footer { margin-top: 40px; color: #59636e; font-size: 12px; }
"""

#: Everything the page needs, in one ``<style>`` element.
REPORT_CSS = _PAGE_CSS + CHART_CSS + "\n"
