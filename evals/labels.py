"""Load labelled evaluation cases and score discovery against them.

The label format is documented in ``evals/datasets/LABELING.md``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from agent.discovery.models import Reference

DATASETS = Path(__file__).parent / "datasets"


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled line."""

    repo: str
    path: str
    line: int
    ref: bool
    kind: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """A labelled evaluation case: a database and the repositories it appears in."""

    name: str
    root: Path
    database: str
    aliases: tuple[str, ...]
    exclude_names: tuple[str, ...]
    repos: tuple[str, ...]
    labels: tuple[Label, ...]

    @property
    def repo_paths(self) -> list[Path]:
        """Folders of the case's repositories."""
        return [self.root / "repos" / r for r in self.repos]


def load_case(folder: Path) -> Case:
    """Read one case folder."""
    data = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return Case(
        name=folder.name,
        root=folder,
        database=data["database"],
        aliases=tuple(data.get("aliases", [])),
        exclude_names=tuple(data.get("exclude_names", [])),
        repos=tuple(data["repos"]),
        labels=tuple(
            Label(
                lab["repo"],
                lab["path"],
                int(lab["line"]),
                bool(lab["ref"]),
                lab.get("kind"),
                lab.get("note", ""),
            )
            for lab in data["labels"]
        ),
    )


def load_cases(root: Path = DATASETS) -> list[Case]:
    """Every case under ``root`` (folders holding a labels.json), by name."""
    return [load_case(p.parent) for p in sorted(root.glob("*/labels.json"))]


def share(part: int, whole: int) -> float:
    """``part / whole``, or 1.0 when there is nothing to count (no line reported or labelled)."""
    return part / whole if whole else 1.0


@dataclass
class KindScore:
    """Counts for one reference kind (or for all kinds)."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        """Share of reported lines that are references (1.0 when nothing was reported)."""
        return share(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """Share of labelled references that were reported (1.0 when none are labelled)."""
        return share(self.true_positives, self.true_positives + self.false_negatives)


@dataclass
class DiscoveryScore:
    """Line-level precision and recall of one scan against a case's labels."""

    overall: KindScore = field(default_factory=KindScore)
    by_kind: dict[str, KindScore] = field(default_factory=lambda: defaultdict(KindScore))
    missed: list[Label] = field(default_factory=list)
    spurious: list[Reference] = field(default_factory=list)


def score_discovery(
    case: Case, references: list[Reference] | tuple[Reference, ...]
) -> DiscoveryScore:
    """Compare reported references with the labels, line by line.

    Precision per kind is counted by the kind decom reported; recall per kind by the labelled
    kind (the two may differ for the same line).
    """
    truth = {(lab.repo, lab.path, lab.line): lab for lab in case.labels if lab.ref}
    reported = {(r.repo, r.path, r.line): r for r in references}
    score = DiscoveryScore()
    for key, ref in reported.items():
        if key in truth:
            score.overall.true_positives += 1
            score.by_kind[ref.kind.value].true_positives += 1
        else:
            score.overall.false_positives += 1
            score.by_kind[ref.kind.value].false_positives += 1
            score.spurious.append(ref)
    for key, label in truth.items():
        if key not in reported:
            score.overall.false_negatives += 1
            score.by_kind[label.kind or "other"].false_negatives += 1
            score.missed.append(label)
    return score
