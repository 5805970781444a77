"""``Session``: a decommission driven step by step from a notebook.

``scan`` -> ``plan`` (every repository runs through the per-repository graph until it pauses
for approval) -> ``diff`` -> ``approve`` / ``abort`` -> ``apply`` (each paused repository
resumes with its decision: the same graph, so the QA critic decides as in ``decom run``) ->
``status``. The run lives in the state directory (request, checkpoints, decisions, ledger),
so a new kernel reattaches with ``Session.attach(run_id)`` and continues where it paused.
Repositories are worked on one after another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.errors import InputError
from agent.models import RepoOutcome, RepoStatus
from agent.notebook import build
from agent.notebook.decisions import load_decisions, save_decisions
from agent.notebook.diffs import DiffView, planned_diff
from agent.notebook.engine import Engine, OnStep, RepoSnapshot, snapshot
from agent.notebook.views import (
    ChatReply,
    DecisionRow,
    DecisionView,
    OutcomeView,
    PlanView,
    ScanView,
    StatusView,
)
from agent.pipeline.approval import ApprovalDecision, apply_decision, unmatched_patterns
from agent.pipeline.request import RunRequest

if TYPE_CHECKING:
    from agent.llm.session import LlmSession
    from agent.settings import Settings

_NOT_PLANNED = "nothing has been planned yet: run session.plan() first"


class Session:
    """One decommission run of ``database`` over local repository folders, for notebooks.

    Args:
        database: the database to retire.
        repos: repository folders (git repositories get a ``decommission/<db>`` branch).
        state_dir: where the run's request, checkpoints, decisions, records and ledger live.
        aliases: other names of the database.
        exclude_names: live databases that must never be touched.
        base: the base branch (default: each repository's default branch).
        dry_run: no branches: patch files only.
        run_id: reattach to this earlier run in ``state_dir`` (its saved request wins).

    Raises:
        InputError: a bad name or folder, or ``run_id`` is not a run of ``database`` over
            these repositories.
    """

    def __init__(
        self,
        database: str,
        repos: Sequence[str | Path],
        *,
        state_dir: str | Path = ".decom",
        aliases: Iterable[str] = (),
        exclude_names: Iterable[str] = (),
        base: str | None = None,
        dry_run: bool = False,
        run_id: str | None = None,
    ) -> None:
        from agent.discovery.names import validate_database_name
        from agent.discovery.repos import repositories_from_paths

        state = Path(state_dir).expanduser().resolve()
        name = validate_database_name(database)
        found = repositories_from_paths(list(repos))
        #: Display name -> repository target (its absolute folder), in the order given.
        self._targets_by_name = {r.name: str(r.root) for r in found}
        if run_id is not None:
            from graph.runner import load_request

            request = load_request(state, run_id)
            if request.database != name:
                raise InputError(
                    f"run {run_id} retires {request.database}, not {name}: "
                    f"use Session.attach({run_id!r}, state_dir=...)"
                )
            if sorted(request.repos) != sorted(self._targets_by_name.values()):
                raise InputError(
                    f"run {run_id} covers other repositories ({', '.join(request.repos)}): "
                    f"use Session.attach({run_id!r}, state_dir=...)"
                )
            self.run_id = run_id
        else:
            from graph.runner import new_run_id

            request = RunRequest(
                database=name,
                repos=list(self._targets_by_name.values()),
                aliases=[validate_database_name(a) for a in aliases],
                exclude_names=[validate_database_name(e) for e in exclude_names],
                base=base,
                dry_run=dry_run,
                state_dir=str(state),
                require_approval=True,
            )
            self.run_id = new_run_id(name)
        #: What the run was asked (saved beside the run at the first ``plan``).
        self.request = request
        self._names = {target: name for name, target in self._targets_by_name.items()}
        self._settings: Settings | None = None
        self._llm: LlmSession | None = None
        self._llm_ready = False
        #: The chat conversation so far (``chat`` keeps it between calls).
        self.chat_history: list[Any] = []

    @classmethod
    def attach(cls, run_id: str, state_dir: str | Path = ".decom") -> Session:
        """The session of an earlier run (from a new kernel, for example).

        Raises:
            InputError: there is no such run in ``state_dir``.
        """
        from graph.runner import load_request

        request = load_request(Path(state_dir).expanduser().resolve(), run_id)
        return cls(request.database, request.repos, state_dir=state_dir, run_id=run_id)

    def __repr__(self) -> str:
        return (
            f"Session(database={self.database!r}, run_id={self.run_id!r}, "
            f"repos={list(self._targets_by_name)!r}, state_dir={self.request.state_dir!r})"
        )

    @property
    def database(self) -> str:
        """The database being retired."""
        return self.request.database

    @property
    def repos(self) -> list[str]:
        """The repositories' names (folder names), in order."""
        return list(self._targets_by_name)

    @property
    def settings(self) -> Settings:
        """decom's settings (environment, ``decom.toml``), read once.

        Raises:
            InputError: the settings are invalid.
        """
        if self._settings is None:
            from agent.settings import load_settings

            self._settings = load_settings()
        return self._settings

    # -- operations ---------------------------------------------------------------------

    def scan(self) -> ScanView:
        """Every reference to the database in the repositories' working trees."""
        from agent.discovery.api import find_references

        options = self.request.scan_options()
        result = find_references(
            self.database,
            list(self._targets_by_name.values()),
            aliases=options.aliases,
            exclude_names=options.exclude_names,
            max_file_bytes=options.max_file_bytes,
            affixes=options.affixes,
        )
        return build.scan_view(result, self.repos)

    def plan(self, *, on_step: OnStep | None = None) -> PlanView:
        """Run every repository until it pauses for approval (or ends: no references).

        Repositories already planned or finished are left as they are (a failed one is
        tried again), so calling it twice is harmless.

        Args:
            on_step: called with (repository folder, step) after each graph step.
        """
        from agent.pipeline import steps

        steps.validate_environment(self.request)
        with self._engine().operation(register=True) as op:
            for target, snap in op.snapshots(self.request.repos).items():
                if snap.paused or (snap.outcome and snap.outcome.status is not RepoStatus.FAILED):
                    continue
                op.advance(target, on_step)
            op.settle(self.request.repos)
            snaps = op.snapshots(self.request.repos)
        return build.plan_view(self.run_id, snaps, self._names, self._decisions())

    def diff(self, path: str, repo: str | None = None) -> DiffView:
        """The change of one planned file: proposed while paused, applied once done.

        ``path`` is relative to its repository (``repo-name/path`` also works); ``repo`` is
        needed when several repositories plan the same path.

        Raises:
            InputError: nothing planned yet, an unknown repository, or a path that is not
                planned (the message lists close matches).
        """
        targets = self._select(repo)
        self._require_planned()
        with self._engine().runner() as runner:
            snaps = {t: snapshot(runner, t) for t in targets}
        if not any(s.started for s in snaps.values()):
            raise InputError(_NOT_PLANNED)
        return planned_diff(snaps, self._names, path, repo)

    def approve(self, exclude: Sequence[str] = (), repo: str | None = None) -> DecisionView:
        """Record approval of the paused repositories' plans (``apply`` carries it out).

        Args:
            exclude: glob patterns of paths to leave as they are (they become items for a
                person, with the files planned only because of them).
            repo: only this repository (default: every paused one).

        Raises:
            InputError: nothing is paused, an unknown repository, or a pattern that matches
                no planned file (nothing is recorded then).
        """
        patterns = [exclude] if isinstance(exclude, str) else list(exclude)
        targets = self._select(repo)
        self._require_planned()
        with self._engine().operation() as op:
            paused = self._paused(op.snapshots(targets), repo)
            matched = {
                t: [p for p in patterns if s.plan and not unmatched_patterns(s.plan, [p])]
                for t, s in paused.items()
            }
            missing = [p for p in patterns if not any(p in m for m in matched.values())]
            if missing:
                raise InputError(
                    f"exclude pattern(s) match no planned file: {', '.join(missing)} "
                    "(patterns match paths inside a repository, as session.plan() shows them)"
                )
            decisions = self._decisions()
            rows = []
            for target, snap in paused.items():
                decision = ApprovalDecision(exclude=matched[target])
                decisions[target] = decision
                left: tuple[str, ...] = ()
                if snap.plan is not None:
                    narrowed = apply_decision(snap.plan, decision).files
                    left = tuple(f.path for f in narrowed if f.rule == "reviewer")
                row = DecisionRow(self._names[target], "approve", tuple(decision.exclude), left)
                rows.append(row)
            save_decisions(self._run_dir, decisions)
        return DecisionView(tuple(rows), ("session.apply() carries the decisions out",))

    def abort(self, reason: str = "", repo: str | None = None) -> OutcomeView:
        """End the paused repositories (or one) now, writing nothing to them.

        Raises:
            InputError: nothing is paused, or an unknown repository.
        """
        answer = {"action": "abort", "reason": reason or "aborted in a notebook"}
        targets = self._select(repo)
        self._require_planned()
        with self._engine().operation() as op:
            paused = self._paused(op.snapshots(targets), repo)
            outcomes = {t: op.advance(t, None, answer) for t in paused}
            op.settle(self.request.repos)
            decisions = self._decisions()
            for target in paused:
                decisions.pop(target, None)
            save_decisions(self._run_dir, decisions)
        return self._outcome_view("Aborted", outcomes)

    def apply(self, repo: str | None = None, *, on_step: OnStep | None = None) -> OutcomeView:
        """Resume every paused repository (or one) with its decision; approve if none.

        The repositories go through refactor, the QA critic and the forge like ``decom run``;
        each outcome is recorded in the ledger (``decom runs`` lists the run).

        Raises:
            InputError: nothing planned yet, or an unknown repository.
        """
        targets = self._select(repo)
        self._require_planned()
        decisions = self._decisions()
        with self._engine().operation() as op:
            snaps = op.snapshots(targets)
            if not any(s.started for s in snaps.values()):
                raise InputError(_NOT_PLANNED)
            results: dict[str, RepoOutcome | dict[str, Any] | None] = {}
            for target, snap in snaps.items():
                if snap.paused:
                    answer = decisions.get(target, ApprovalDecision()).model_dump(mode="json")
                    results[target] = op.advance(target, on_step, answer)
                else:
                    results[target] = snap.outcome
            op.settle(self.request.repos)
        return self._outcome_view("Applied", results)

    def status(self) -> StatusView:
        """Where every repository is: not planned, waiting for approval, or its outcome."""
        snaps = self._snapshots()
        decisions = self._decisions()
        rows = tuple(build.state_row(self._names[t], s, decisions.get(t)) for t, s in snaps.items())
        return StatusView(self.run_id, rows, (f"state: {self.request.state_dir}",))

    def chat(self, message: str, *, echo: bool = True) -> ChatReply:
        """Ask the configured model to drive this session with its operations as tools.

        Without a model, the reply says how to configure one (no exception).

        Args:
            message: what to do, in words.
            echo: print tool calls and graph progress as they happen.
        """
        from agent.notebook.chat import chat_turn

        return chat_turn(self, message, echo=echo)

    # -- helpers ------------------------------------------------------------------------

    def name_of(self, target: str) -> str:
        """The display name of a repository target."""
        return self._names[target]

    @property
    def _run_dir(self) -> Path:
        return self.request.run_dir(self.run_id)

    def _require_planned(self) -> None:
        """Refuse an operation that needs a plan before ``plan`` ever ran."""
        if not (self._run_dir / "run.json").is_file():
            raise InputError(_NOT_PLANNED)

    def _select(self, repo: str | None) -> list[str]:
        """The targets of ``repo`` (a name or a folder), or all of them."""
        if repo is None:
            return list(self.request.repos)
        if repo in self._targets_by_name:
            return [self._targets_by_name[repo]]
        resolved = str(Path(repo).expanduser().resolve()) if repo.strip() else ""
        if resolved in self._names:
            return [resolved]
        raise InputError(
            f"unknown repository {repo!r}: this session has {', '.join(self._targets_by_name)}"
        )

    def _paused(self, snaps: dict[str, RepoSnapshot], repo: str | None) -> dict[str, RepoSnapshot]:
        """The paused ones of ``snaps``.

        Raises:
            InputError: none is paused (nothing planned yet, or all finished).
        """
        if not any(s.started for s in snaps.values()):
            raise InputError(_NOT_PLANNED)
        paused = {t: s for t, s in snaps.items() if s.paused}
        if repo is not None and not paused:
            state = build.state_row(repo, next(iter(snaps.values()))).state
            raise InputError(f"{repo} is not waiting for approval ({state}): see session.status()")
        if not paused:
            raise InputError("no repository is waiting for approval: see session.status()")
        return paused

    def _snapshots(self) -> dict[str, RepoSnapshot]:
        """Every repository's thread (all "not planned" before the first ``plan``)."""
        if not (self._run_dir / "run.json").is_file():
            return {t: RepoSnapshot(target=t, started=False) for t in self.request.repos}
        with self._engine().runner() as runner:
            return {t: snapshot(runner, t) for t in self.request.repos}

    def _decisions(self) -> dict[str, ApprovalDecision]:
        return load_decisions(self._run_dir)

    def _engine(self) -> Engine:
        return Engine(self.request, self.run_id, self.settings, self._graph_llm())

    def _graph_llm(self) -> LlmSession | None:
        """The graph's LLM roles when a model is configured (as ``decom run`` has them)."""
        if not self._llm_ready:
            roles = ("discovery", "refactor", "critic", "writer")
            if any(self.settings.model_for(role) for role in roles):
                from agent.llm.session import LlmSession

                self._llm = LlmSession(self.settings)
                self._llm.check_models()
            self._llm_ready = True
        return self._llm

    def _outcome_view(
        self, title: str, results: Mapping[str, RepoOutcome | dict[str, Any] | None]
    ) -> OutcomeView:
        rows = []
        notes = []
        for target, result in results.items():
            name = self._names[target]
            if isinstance(result, RepoOutcome):
                rows.append(build.outcome_row(name, result))
            elif result is None:
                notes.append(f"{name}: {build.NOT_PLANNED}; run session.plan()")
            else:
                notes.append(f"{name}: still {build.WAITING}")
        return OutcomeView(title, tuple(rows), tuple(notes))
