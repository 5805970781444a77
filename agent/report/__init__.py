"""Per-run reports: ``report.md``, ``report.json`` and a self-contained ``report.html``.

``write_reports`` builds one :class:`~agent.report.model.RunReport` from a run's summary
(reading each changed repository's diff from git, or a dry run's patch) and writes it in the
three formats into the run's folder. ``report.json`` is the model itself
(``RunReport.model_validate_json`` reads it back); Markdown and HTML render it.
"""

from __future__ import annotations

import os
from pathlib import Path

from agent.models import DecommissioningSummary
from agent.report.html import render_html
from agent.report.markdown import render_markdown
from agent.report.model import RepoReport, RunReport, build_report

REPORT_FILES = ("report.html", "report.md", "report.json")


def write_reports(summary: DecommissioningSummary, run_dir: Path) -> list[Path]:
    """Write the run's three reports into ``run_dir``; their paths (HTML, Markdown, JSON).

    Raises:
        OSError: ``run_dir`` cannot be created or written.
    """
    report = build_report(summary)
    run_dir.mkdir(parents=True, exist_ok=True)
    contents = (
        render_html(report),
        render_markdown(report),
        report.model_dump_json(indent=2) + "\n",
    )
    paths = []
    for name, text in zip(REPORT_FILES, contents, strict=True):
        paths.append(_write(run_dir / name, text))
    return paths


def _write(path: Path, text: str) -> Path:
    """Write through a temporary file, so a reader never sees half a report."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


__all__ = ["REPORT_FILES", "RepoReport", "RunReport", "build_report", "write_reports"]
