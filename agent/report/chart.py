"""Where the time went, as inline SVG bar charts (no scripts, no external assets).

Two charts: seconds per step summed over repositories, and one stacked bar per repository
split by step. Colours come from CSS classes (``CHART_CSS``), so the page decides the look;
every label is escaped, since repository names come from the outside.
"""

from __future__ import annotations

from html import escape

from agent.report.model import RepoReport, ordered_steps

#: Fill colour per pipeline step; steps not listed use the last colour.
STEP_COLOURS = {
    "discover": "#4e79a7",
    "plan": "#f28e2b",
    "refactor": "#59a14f",
    "qa_critic": "#b07aa1",
    "open_pr": "#e15759",
    "notify": "#76b7b2",
    "other": "#9c9c9c",
}

#: The chart's CSS, for the page that embeds it.
CHART_CSS = "\n".join(
    [
        ".chart text { font: 12px system-ui, sans-serif; fill: #1f2328; }",
        ".chart .muted { fill: #59636e; }",
        ".chart .track { fill: #f0f2f4; }",
        ".chart .axis { stroke: #d0d7de; stroke-width: 1; }",
        *(f".chart .s-{name} {{ fill: {colour}; }}" for name, colour in STEP_COLOURS.items()),
    ]
)

#: Repositories shown in the per-repository chart (the slowest ones).
MAX_REPO_BARS = 40

_WIDTH = 960
_LABEL = 200
_VALUE = 130
_ROW = 24
_BAR = 15
_TOP = 30
_LEGEND = 92


def step_chart(step_seconds: dict[str, float]) -> str:
    """Seconds per step over all repositories, one bar each."""
    if not step_seconds:
        return '<p class="muted">No step timings recorded.</p>'
    total = sum(step_seconds.values())
    scale = _scale(max(step_seconds.values()))
    rows = []
    for index, (step, seconds) in enumerate(step_seconds.items()):
        y = _TOP + index * _ROW
        share = f"{seconds / total:.0%}" if total > 0 else "-"
        rows.append(
            _label(step, y)
            + f'<rect class="track" x="{_LABEL}" y="{y}" width="{_bar_area()}" height="{_BAR}"/>'
            + _rect(step, _LABEL, y, seconds * scale, f"{step}: {_seconds(seconds)}")
            + _value(f"{_seconds(seconds)} · {share}", y)
        )
    height = _TOP + len(step_seconds) * _ROW + 6
    title = "Seconds per step, all repositories together"
    return _svg(title, height, "".join(rows), "Total seconds per step")


def repo_chart(repos: list[RepoReport]) -> str:
    """One bar per repository (the slowest ``MAX_REPO_BARS``), split into its steps."""
    timed = sorted((r for r in repos if r.steps), key=lambda r: (-r.seconds, r.repo))
    if not timed:
        return '<p class="muted">No step timings recorded.</p>'
    shown = timed[:MAX_REPO_BARS]
    steps = ordered_steps({s.step for r in shown for s in r.steps})
    scale = _scale(shown[0].seconds)
    legend = "".join(
        f'<rect class="{_css(step)}" x="{_LABEL + i * _LEGEND}" y="4" width="11" height="11"/>'
        f'<text x="{_LABEL + i * _LEGEND + 16}" y="14">{escape(step)}</text>'
        for i, step in enumerate(steps)
    )
    rows = []
    for index, repo in enumerate(shown):
        y = _TOP + index * _ROW
        x = float(_LABEL)
        parts = [_label(repo.repo, y), f'<rect class="track" x="{_LABEL}" y="{y}" ']
        parts.append(f'width="{_bar_area()}" height="{_BAR}"/>')
        for step in repo.steps:
            width = step.seconds * scale
            parts.append(
                _rect(step.step, x, y, width, f"{repo.repo} {step.step}: {_seconds(step.seconds)}")
            )
            x += width
        parts.append(_value(_seconds(repo.seconds), y))
        rows.append("".join(parts))
    height = _TOP + len(shown) * _ROW + 6
    svg = _svg("Seconds per repository, by step", height, legend + "".join(rows), "")
    if len(timed) > len(shown):
        svg += f'<p class="muted">The {len(shown)} slowest of {len(timed)} repositories.</p>'
    return svg


def _svg(title: str, height: int, body: str, heading: str) -> str:
    head = f'<text class="muted" x="0" y="14">{escape(heading)}</text>' if heading else ""
    axis = f'<line class="axis" x1="{_LABEL}" y1="{_TOP - 4}" x2="{_LABEL}" y2="{height - 2}"/>'
    return (
        f'<svg class="chart" role="img" '
        f'width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}">'
        f"<title>{escape(title)}</title>{head}{body}{axis}</svg>"
    )


def _label(text: str, y: int) -> str:
    short = text if len(text) <= 26 else text[:25] + "\u2026"
    return (
        f'<text x="{_LABEL - 8}" y="{y + 12}" text-anchor="end">'
        f"<title>{escape(text)}</title>{escape(short)}</text>"
    )


def _value(text: str, y: int) -> str:
    x = _WIDTH - _VALUE + 8
    return f'<text class="muted" x="{x}" y="{y + 12}">{escape(text)}</text>'


def _rect(step: str, x: float, y: int, width: float, tip: str) -> str:
    return (
        f'<rect class="{_css(step)}" x="{x:.1f}" y="{y}" width="{max(width, 0.0):.1f}" '
        f'height="{_BAR}"><title>{escape(tip)}</title></rect>'
    )


def _css(step: str) -> str:
    return f"s-{step}" if step in STEP_COLOURS else "s-other"


def _bar_area() -> int:
    return _WIDTH - _LABEL - _VALUE


def _scale(longest: float) -> float:
    """Pixels per second, so that the longest bar fills the bar area."""
    return _bar_area() / longest if longest > 0 else 0.0


def _seconds(value: float) -> str:
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.1f} s"
    return f"{value * 1000:.0f} ms"
