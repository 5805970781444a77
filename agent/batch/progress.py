"""Showing a run's progress: rich bars in a terminal, plain lines otherwise.

Both count repositories by outcome as they finish (changed / no references / needs a person /
failed). In a terminal there is an overall bar and one bar per repository in flight, showing
its current step; elsewhere (CI logs, pipes) one line per finished repository.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from agent.models import RepoOutcome

if TYPE_CHECKING:
    from rich.progress import TaskID

#: The per-repository graph's steps, in order (for the per-repository bars).
STEPS = ("discover", "plan", "approve", "refactor", "qa_critic", "open_pr", "notify")
_LABELS = {
    "changed": "changed",
    "no_references": "no references",
    "needs_human": "needs a person",
    "failed": "failed",
}
#: Shown only when it happened (a reviewer aborted a repository).
_RARE = {"aborted": "aborted"}


class Tally:
    """Counts of finished repositories by status (thread-safe)."""

    def __init__(self) -> None:
        self.total = 0
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def add(self, outcome: RepoOutcome) -> int:
        """Count one outcome; how many are done now."""
        with self.lock:
            self.counts[outcome.status.value] += 1
            return sum(self.counts.values())

    def text(self) -> str:
        """``3 changed, 1 no references, 0 needs a person, 0 failed``."""
        parts = [f"{self.counts.get(k, 0)} {label}" for k, label in _LABELS.items()]
        parts += [f"{self.counts[k]} {label}" for k, label in _RARE.items() if self.counts.get(k)]
        return ", ".join(parts)


class PlainProgress:
    """One line per finished repository (for logs and pipes)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tally = Tally()

    def begin(self, total: int) -> None:
        """The pass will process ``total`` repositories."""
        self.tally.total = total
        self._write(f"[decom] {total} repositories to process")

    def started(self, repo: str) -> None:
        """Nothing: a line per start would double the log."""
        return None

    def step(self, repo: str, step: str) -> None:
        """Nothing: steps are in the JSON log."""
        return None

    def finished(self, repo: str, outcome: RepoOutcome) -> None:
        """One line: position, repository, status, running counts."""
        done = self.tally.add(outcome)
        self._write(
            f"[decom] [{done}/{self.tally.total}] {outcome.repo}: {outcome.status.value}"
            f" ({self.tally.text()})"
        )

    def _write(self, line: str) -> None:
        with self.tally.lock:
            self.stream.write(line + "\n")
            self.stream.flush()


class RichProgress:
    """An overall bar, a bar per repository in flight, and live counts."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.tally = Tally()
        self.console = Console(file=stream)
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            console=self.console,
            transient=True,
        )
        self._overall = self.bars.add_task("repositories", total=None, detail="")
        self._tasks: dict[str, TaskID] = {}

    def begin(self, total: int) -> None:
        """Size the overall bar."""
        self.tally.total = total
        self.bars.update(self._overall, total=total, detail=self.tally.text())

    def started(self, repo: str) -> None:
        """Add a bar for ``repo``."""
        name = repo.rstrip("/").rpartition("/")[2]
        with self.tally.lock:
            self._tasks[repo] = self.bars.add_task(f"  {name}", total=len(STEPS), detail="")

    def step(self, repo: str, step: str) -> None:
        """Advance ``repo``'s bar to after ``step``."""
        task = self._tasks.get(repo)
        if task is not None and step in STEPS:
            self.bars.update(task, completed=STEPS.index(step) + 1, detail=step)

    def finished(self, repo: str, outcome: RepoOutcome) -> None:
        """Drop ``repo``'s bar; advance the overall bar and the counts."""
        self.tally.add(outcome)
        with self.tally.lock:
            task = self._tasks.pop(repo, None)
        if task is not None:
            self.bars.remove_task(task)
        self.bars.update(self._overall, advance=1, detail=self.tally.text())


@contextmanager
def progress_display(stream: TextIO) -> Iterator[PlainProgress | RichProgress]:
    """Rich bars when ``stream`` is a terminal, plain lines otherwise."""
    if not stream.isatty():
        yield PlainProgress(stream)
        return
    shown = RichProgress(stream)
    with shown.bars:
        yield shown
