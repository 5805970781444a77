"""Run decom on labelled cases (git copies in temporary folders) and score what it left.

One case, one model: :func:`run_and_measure` copies the case's repositories into a work
folder, makes each a git repository, runs the whole pipeline (``graph.runner.execute``) with
the model's settings, measures the result (:mod:`evals.measure`), runs a second time to check
nothing moves, and returns a typed :class:`~evals.results.CaseResult`. :func:`evaluate` does
that for every case and model and scores each result with the metrics of
:mod:`evals.metrics` against ``evals/thresholds.toml``.
"""

from __future__ import annotations

import json
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agent.errors import DecomError, InputError
from agent.forge.records import branch_name
from agent.models import RepoOutcome, RepoStatus
from agent.notify import FanoutNotifier
from agent.pipeline.request import RunRequest
from agent.settings import Settings, load_settings
from evals.labels import DATASETS, Case, KindScore, load_cases, score_discovery
from evals.measure import Findings, Snapshot, differences, extract, measure_tree, snapshot
from evals.results import (
    DETERMINISTIC,
    CaseEvaluation,
    CaseResult,
    Discovery,
    KindCounts,
    ModelRun,
    PullRequestText,
)
from evals.run_case import materialize

if TYPE_CHECKING:
    from agent.discovery.models import Reference
    from agent.llm.session import LlmSession

#: The thresholds decom is held to (``decom eval`` and ``evals/test_evals.py``).
THRESHOLDS = Path(__file__).parent / "thresholds.toml"

_ROLES = ("discovery", "refactor", "critic", "writer")


@dataclass(frozen=True)
class Thresholds:
    """Minimum score per metric, with optional per-case overrides."""

    path: Path
    defaults: dict[str, float]
    cases: dict[str, dict[str, float]] = field(default_factory=dict)

    def minimum(self, case: str, metric: str) -> float:
        """The threshold of ``metric`` on ``case`` (1.0 when the file names none)."""
        return self.cases.get(case, {}).get(metric, self.defaults.get(metric, 1.0))


def load_thresholds(path: Path = THRESHOLDS) -> Thresholds:
    """Read a thresholds file: ``[metrics]`` defaults and ``[cases.<case>]`` overrides.

    Raises:
        InputError: the file is missing, not TOML, or holds a value outside 0..1.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read thresholds {path}: {exc}") from None
    defaults = _floats(path, "metrics", data.get("metrics", {}))
    cases = {
        name: _floats(path, f"cases.{name}", table) for name, table in data.get("cases", {}).items()
    }
    return Thresholds(path, defaults, cases)


def _floats(path: Path, table: str, values: object) -> dict[str, float]:
    if not isinstance(values, dict):
        raise InputError(f"{path}: [{table}] is not a table")
    out = {}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise InputError(f"{path}: {table}.{name} = {value!r} is not a number in 0..1")
        out[str(name)] = float(value)
    return out


def select_cases(names: Sequence[str], root: Path = DATASETS) -> list[Case]:
    """The named cases (every case when none is named), in the order given.

    Raises:
        InputError: a name that is no case (the message lists the known ones).
    """
    cases = {case.name: case for case in load_cases(root)}
    unknown = [n for n in names if n not in cases]
    if unknown:
        raise InputError(
            f"no dataset {', '.join(map(repr, unknown))}: known datasets are "
            + ", ".join(sorted(cases))
        )
    return [cases[n] for n in dict.fromkeys(names)] if names else list(cases.values())


@dataclass(frozen=True)
class ModelSetup:
    """The settings one column of an evaluation runs with."""

    name: str
    settings: Settings

    def session(self) -> LlmSession | None:
        """A fresh LLM session (its own token ledger), or None in deterministic mode."""
        if self.name == DETERMINISTIC:
            return None
        from agent.llm.session import LlmSession

        return LlmSession(self.settings)


def prepare_model(spec: str) -> ModelSetup:
    """Settings for ``spec``: ``deterministic``, or ``provider:model`` for every LLM role.

    The spec replaces ``DECOM_MODEL`` and any per-role model, so a column is that model alone.
    A distributed ledger (``DECOM_DATABASE_URL``) is never used: evaluation state stays in its
    temporary folder.

    Raises:
        InputError: the settings or the spec are unusable (not ``provider:model``, unknown
            provider, no key...).
        DecomError: the model does not answer one cheap call (``decom doctor``'s probe).
    """
    base = load_settings(model=None if spec == DETERMINISTIC else spec)
    cleared: dict[str, object] = {f"{role}_model": None for role in _ROLES}
    cleared["database_url"] = None
    if spec == DETERMINISTIC:
        return ModelSetup(spec, base.model_copy(update={**cleared, "model": None}))
    setup = ModelSetup(spec, base.model_copy(update=cleared))
    from agent.doctor import Status, check_model
    from agent.llm.session import LlmSession

    LlmSession(setup.settings).check_models()
    check = check_model(setup.settings)
    if check.status is Status.FAIL:
        raise DecomError(f"model unreachable: {check.detail}")
    return setup


def run_and_measure(
    case: Case, work: Path, setup: ModelSetup, *, idempotency: bool = True
) -> CaseResult:
    """Run decom on copies of ``case`` in ``work`` (empty or missing) and measure the result.

    With ``idempotency``, a second run follows on the same repositories and state; whatever it
    changes or creates is recorded in ``second_run_changes``.
    """
    from graph import runner

    repos = materialize(case, work / "repos")
    state = work / ".decom"
    request = RunRequest(
        database=case.database,
        repos=[str(r) for r in repos],
        aliases=list(case.aliases),
        exclude_names=list(case.exclude_names),
        state_dir=str(state),
    )
    before = {r.name: snapshot(r, state) for r in repos}
    started = time.perf_counter()
    first_id = f"eval-{case.name}-1"
    summary = runner.execute(
        request, first_id, FanoutNotifier([]), llm=setup.session(), settings=setup.settings
    )
    seconds = time.perf_counter() - started
    after = {r.name: snapshot(r, state) for r in repos}
    found = _measure_trees(case, repos, after, {o.repo: o for o in summary.repos}, work)
    labelled = {lab.repo for lab in case.labels if lab.ref}
    untouched = sorted(
        (set(case.repos) - labelled)
        | {o.repo for o in summary.repos if o.status is RepoStatus.NO_REFERENCES}
    )
    second_run: list[str] = []
    if idempotency:
        again = runner.execute(
            request, f"eval-{case.name}-2", FanoutNotifier([]), llm=setup.session(),
            settings=setup.settings,
        )  # fmt: skip
        second_run += [f"{o.repo}: second run failed: {o.error}" for o in _failed(again.repos)]
        for repo in repos:
            if diff := differences(after[repo.name], snapshot(repo, state)):
                second_run.append(f"{repo.name}: {', '.join(diff)}")
    return CaseResult(
        case=case.name,
        database=case.database,
        model=setup.name,
        repos=list(case.repos),
        labelled_references=sum(1 for lab in case.labels if lab.ref),
        labelled_decoys=len({(lab.repo, lab.path, lab.line) for lab in case.labels if not lab.ref}),
        discovery=_discovery(case, _run_references(case, request, first_id)),
        residual=sorted(found.residual.values()),
        damaged_decoys=found.damaged_decoys,
        changed_parseable_files=found.changed_parseable,
        broken=found.broken,
        untouched_repos=untouched,
        untouched_changed=[
            f"{name}: {', '.join(diff)}"
            for name in untouched
            if (diff := differences(before[name], after[name]))
        ],
        idempotency_checked=idempotency,
        second_run_changes=second_run,
        failed=[f"{o.repo}: {o.error}" for o in _failed(summary.repos)],
        pull_requests=_pull_requests(state),
        seconds=round(seconds, 3),
    )


def _measure_trees(
    case: Case,
    repos: list[Path],
    after: dict[str, Snapshot],
    outcomes: dict[str, RepoOutcome],
    work: Path,
) -> Findings:
    """Measure each repository's result: its campaign branch, or HEAD when it has none."""
    branch = f"refs/heads/{branch_name(case.database)}"
    total = Findings()
    for repo in repos:
        treeish = branch if branch in after[repo.name].refs else "HEAD"
        tree = extract(repo, treeish, work / "after" / repo.name)
        found = measure_tree(case, repo.name, tree, outcomes.get(repo.name))
        for key, line in found.residual.items():
            total.residual.setdefault(key, line)
        total.damaged_decoys += found.damaged_decoys
        total.broken += found.broken
        total.changed_parseable += found.changed_parseable
    return total


def _failed(outcomes: Iterable[RepoOutcome]) -> list[RepoOutcome]:
    return [o for o in outcomes if o.status is RepoStatus.FAILED]


def _run_references(case: Case, request: RunRequest, run_id: str) -> list[Reference]:
    """The references the run itself worked from (after any LLM adjudication).

    Read from each repository's final checkpoint; a repository whose checkpoint holds no scan
    (it failed before discovery ended) is scanned deterministically instead.
    """
    from agent.discovery.api import find_references
    from graph.builder import build_repo_graph
    from graph.runner import checkpointer

    references: list[Reference] = []
    with checkpointer(Path(request.state_dir)) as saver:
        graph = build_repo_graph().compile(checkpointer=saver)
        for repo in request.repos:
            values = graph.get_state({"configurable": {"thread_id": f"{run_id}:{repo}"}}).values
            scan = values.get("scan") if values else None
            if scan is None:
                scan = find_references(
                    case.database,
                    [Path(repo)],
                    aliases=case.aliases,
                    exclude_names=case.exclude_names,
                )
            references.extend(scan.references)
    return references


def _discovery(case: Case, references: list[Reference]) -> Discovery:
    score = score_discovery(case, references)

    def counts(k: KindScore) -> KindCounts:
        return KindCounts(
            true_positives=k.true_positives,
            false_positives=k.false_positives,
            false_negatives=k.false_negatives,
        )

    return Discovery(
        overall=counts(score.overall),
        by_kind={kind: counts(k) for kind, k in sorted(score.by_kind.items())},
        missed=[f"{m.repo}/{m.path}:{m.line} [{m.kind}]" for m in score.missed],
        spurious=[
            f"{r.repo}/{r.path}:{r.line} [{r.kind.value}] {r.text.strip()[:80]}"
            for r in score.spurious
        ],
    )


def _pull_requests(state: Path) -> list[PullRequestText]:
    """Title and body of every pull-request record the runs wrote."""
    records = []
    for path in sorted((state / "prs").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        records.append(
            PullRequestText(
                repo=str(data.get("repo", path.parent.name)),
                title=str(data.get("title", "")),
                body=str(data.get("body", "")),
            )
        )
    return records


def evaluate(
    cases: Sequence[Case],
    models: Sequence[str],
    thresholds: Thresholds,
    *,
    judge: bool = True,
    on_case: Callable[[str, str], None] | None = None,
) -> list[ModelRun]:
    """Every case with every model, scored; a model that cannot be used gets its error.

    Args:
        cases: the cases to run.
        models: ``deterministic`` and/or ``provider:model`` specs, one column each.
        thresholds: the minimum per metric (and case).
        judge: score pull-request descriptions when a judge model is configured.
        on_case: called with (model, case) before each run (progress).
    """
    from evals.metrics import configured_judge, score_case

    judge_model = configured_judge() if judge else None
    runs = []
    for spec in dict.fromkeys(models):
        try:
            setup = prepare_model(spec)
        except DecomError as exc:
            runs.append(ModelRun(model=spec, error=str(exc)))
            continue
        evaluations = []
        for case in cases:
            if on_case is not None:
                on_case(spec, case.name)
            with tempfile.TemporaryDirectory(prefix=f"decom-eval-{case.name}-") as tmp:
                result = run_and_measure(case, Path(tmp), setup)
            evaluations.append(
                CaseEvaluation(result=result, metrics=score_case(result, thresholds, judge_model))
            )
        runs.append(ModelRun(model=spec, cases=evaluations))
    return runs
