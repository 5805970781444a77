"""A scan's result does not depend on the order ripgrep prints files in.

ripgrep searches with several threads and prints each file's lines as soon as that file is
done, so the order of files changes from run to run. Which file an alias is credited to
(``Alias.defined_at``, ``Reference.via``), and which alias claims a line two aliases match,
must not follow that order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from agent.discovery import ripgrep
from agent.discovery.api import find_references
from agent.discovery.models import ScanResult, ScanStats
from evals.labels import Case, load_cases
from tests.conftest import MakeRepo

Order = Callable[[list[str]], list[str]]

ORDERS: dict[str, Order] = {
    "ascending": sorted,
    "descending": lambda paths: sorted(paths, reverse=True),
}


def scan_in_order(
    monkeypatch: pytest.MonkeyPatch, order: Order, *args: object, **kwargs: object
) -> ScanResult:
    """``find_references`` with every search's files handed over in ``order``."""
    real = ripgrep.finish_search

    def reordered(running: ripgrep.RunningSearch, walk: ripgrep.Walk) -> ripgrep.Search:
        search = real(running, walk)
        search.lines = {path: search.lines[path] for path in order(list(search.lines))}
        return search

    with monkeypatch.context() as patched:
        patched.setattr(ripgrep, "finish_search", reordered)
        result = find_references(*args, **kwargs)  # type: ignore[arg-type]
    return dataclasses.replace(result, stats=ScanStats(0, 0, 0.0))


def test_an_alias_defined_twice_is_credited_to_the_first_file(
    monkeypatch: pytest.MonkeyPatch, make_repo: MakeRepo
) -> None:
    repo = make_repo(
        "stock-service",
        {
            ".env.example": "DB_DSN=postgres://app@db:5432/stock_reservations\n",
            ".gitlab-ci.yml": (
                "test:\n  variables:\n    DB_DSN: postgres://ci@postgres:5432/stock_reservations\n"
            ),
            "main.go": 'dsn := os.Getenv("DB_DSN")\n',
        },
    )
    results = {
        name: scan_in_order(monkeypatch, order, "stock_reservations", [repo])
        for name, order in ORDERS.items()
    }
    assert results["ascending"] == results["descending"]
    via = next(r.via for r in results["ascending"].references if r.path == "main.go")
    assert via is not None and (via.alias, via.path, via.line) == ("DB_DSN", ".env.example", 1)


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_evaluation_cases_scan_the_same_in_any_file_order(
    monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    results = [
        scan_in_order(
            monkeypatch,
            order,
            case.database,
            case.repo_paths,
            aliases=case.aliases,
            exclude_names=case.exclude_names,
        )
        for order in ORDERS.values()
    ]
    assert results[0] == results[1]
