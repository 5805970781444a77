"""``decom eval``: run decom on the labelled cases of ``evals/datasets`` and score it.

Every selected case runs once per ``--model`` (``deterministic`` by default) on git copies in
temporary folders; the scores are printed as tables (a column per model), written to
``<state-dir>/evals/<timestamp>.json`` and appended as one line to
``<state-dir>/evals/history.jsonl``. Exit 0 when every model ran and every metric met
``evals/thresholds.toml``, 1 when a metric fell below it or a model could not be used, 2 on
bad input (unknown dataset, unreadable thresholds, invalid settings).

``evals`` is imported inside the functions: it pulls in deepeval, which the other commands
never need.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from agent.errors import DecomError, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from evals.results import CaseEvaluation, EvalReport, KindCounts, ModelRun

#: The folder holding decom's own checkout (for the commit in the history).
_SOURCE = Path(__file__).resolve().parents[2]


def eval_command(
    datasets: list[str],
    models: list[str],
    *,
    as_json: bool,
    state_dir: str | None,
    thresholds: str | None = None,
    datasets_dir: str | None = None,
) -> int:
    """Run the evaluation, print and record it; the exit code.

    ``thresholds`` and ``datasets_dir`` replace ``evals/thresholds.toml`` and
    ``evals/datasets/`` (hidden options, for tests and for cases kept outside decom).
    """
    from agent.settings import load_settings
    from evals.harness import THRESHOLDS, evaluate, load_thresholds, select_cases
    from evals.labels import DATASETS
    from evals.results import DETERMINISTIC, EvalReport

    specs = list(dict.fromkeys(models or [DETERMINISTIC]))
    try:
        for spec in specs:
            if spec != DETERMINISTIC and not all(spec.partition(":")[::2]):
                raise InputError(
                    f"--model {spec!r} is neither 'deterministic' nor 'provider:model' "
                    "(for example 'openai:gpt-4o-mini')"
                )
        cases = select_cases(datasets, Path(datasets_dir) if datasets_dir else DATASETS)
        limits = load_thresholds(Path(thresholds) if thresholds else THRESHOLDS)
        folder = load_settings(state_dir=state_dir).state_dir.resolve() / "evals"
    except DecomError as exc:
        sys.stderr.write(f"decom eval: {exc}\n")
        return exc.exit_code

    def progress(model: str, case: str) -> None:
        sys.stderr.write(f"decom eval: {case} ({model})\n")

    started = time.gmtime()
    runs = evaluate(cases, specs, limits, on_case=None if as_json else progress)
    for run in runs:
        if run.error is not None:
            sys.stderr.write(f"decom eval: {run.model}: {run.error}\n")
    commit, dirty = _source_commit()
    report = EvalReport(
        time=time.strftime("%Y-%m-%dT%H:%M:%SZ", started),
        commit=commit,
        dirty=dirty,
        thresholds=str(limits.path),
        datasets=[case.name for case in cases],
        runs=runs,
    )
    try:
        written = _record(report, folder, started)
    except OSError as exc:
        sys.stderr.write(f"decom eval: results not written to {folder}: {exc}\n")
        written = None
    if as_json:
        sys.stdout.write(report.model_dump_json() + "\n")
    else:
        _print_report(report)
        if written is not None:
            sys.stderr.write(f"decom eval: results: {written} (history: {written.parent})\n")
    return 0 if report.passed else 1


def _source_commit() -> tuple[str | None, bool | None]:
    """decom's git commit and whether its checkout is dirty (None outside a checkout)."""
    if not (_SOURCE / ".git").exists():
        return None, None
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=_SOURCE, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=_SOURCE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return head or None, bool(status.strip())


def _record(report: EvalReport, folder: Path, started: time.struct_time) -> Path:
    """Write the results JSON and append the history line; the JSON's path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", started)
    path = folder / f"{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stamp}-{n}.json"
    path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    line = {
        "time": report.time,
        "commit": report.commit,
        "dirty": report.dirty,
        "datasets": report.datasets,
        "models": [run.model for run in report.runs],
        "passed": report.passed,
        "results": path.name,
        "errors": {run.model: run.error for run in report.runs if run.error},
        "scores": _scores(report.runs),
    }
    with open(folder / "history.jsonl", "a", encoding="utf-8") as history:
        history.write(json.dumps(line, sort_keys=True) + "\n")
    return path


def _scores(runs: list[ModelRun]) -> dict[str, dict[str, dict[str, float | None]]]:
    """Per model, per case, per metric: the score (None when skipped)."""
    return {
        run.model: {
            case.result.case: {m.metric: m.score for m in case.metrics} for case in run.cases
        }
        for run in runs
    }


def _print_report(report: EvalReport) -> None:
    """A table per case (metrics by model), then its reference kinds (recall / precision)."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    usable = [run for run in report.runs if run.error is None]
    for index, name in enumerate(report.datasets):
        per_model = {run.model: found for run in usable if (found := _case(run, name)) is not None}
        _print_case(console, name, per_model)
        if index < len(report.datasets) - 1:
            console.print()
    notes = {
        f"{score.metric}: {score.reason}"
        for run in usable
        for case in run.cases
        for score in case.metrics
        if score.skipped
    }
    for note in sorted(notes):
        console.print(f"[dim]{escape(note)}[/dim]")
    verdict = "[green]all thresholds met[/green]" if report.passed else "[red]FAILED[/red]"
    console.print(f"\n{verdict} ({report.thresholds})")


def _case(run: ModelRun, name: str) -> CaseEvaluation | None:
    return next((c for c in run.cases if c.result.case == name), None)


def _print_case(console: Console, name: str, evaluations: dict[str, CaseEvaluation]) -> None:
    """One case: metrics by model, reference kinds by model, why a metric failed."""
    from rich.markup import escape
    from rich.table import Table

    if not evaluations:
        return
    first = next(iter(evaluations.values()))
    table = Table(title=f"{name} ({first.result.database})", show_edge=False, title_justify="left")
    table.add_column("metric")
    table.add_column("min", justify="right")
    for model in evaluations:
        table.add_column(escape(model), justify="right")
    for row, metric in enumerate(first.metrics):
        cells = []
        for evaluation in evaluations.values():
            score = evaluation.metrics[row]
            if score.skipped or score.score is None:
                cells.append("[dim]skipped[/dim]")
            elif score.success is False:
                cells.append(f"[red]{score.score:.3f} ✗[/red]")
            else:
                cells.append(f"{score.score:.3f}")
        table.add_row(metric.metric, f"{metric.threshold:.2f}", *cells)
    console.print(table)
    kinds = Table(show_edge=False)
    kinds.add_column("kind: recall / precision")
    for model in evaluations:
        kinds.add_column(escape(model), justify="right")
    names = sorted({k for e in evaluations.values() for k in e.result.discovery.by_kind})
    for kind in names:
        row_cells = []
        for evaluation in evaluations.values():
            counts = evaluation.result.discovery.by_kind.get(kind)
            row_cells.append("-" if counts is None else _kind_cell(counts))
        kinds.add_row(kind, *row_cells)
    console.print(kinds)
    for model, evaluation in evaluations.items():
        for score in evaluation.metrics:
            if score.success is False:
                where = f"{escape(model)} {score.metric}"
                console.print(f"  [red]{where}[/red]: {escape(score.reason)}")


def _kind_cell(counts: KindCounts) -> str:
    labelled = counts.true_positives + counts.false_negatives
    reported = counts.true_positives + counts.false_positives
    recall = f"{counts.recall:.2f}" if labelled else "-"
    precision = f"{counts.precision:.2f}" if reported else "-"
    return f"{recall} / {precision}"
