"""Every before/after fixture under tests/refactor/fixtures, through its rule."""

from __future__ import annotations

import pytest

from agent.refactor.base import Action
from tests.refactor.harness import all_fixtures, invariant_problems, make_edit, run_fixture

FIXTURES = all_fixtures()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixture(fixture) -> None:  # type: ignore[no-untyped-def]
    result = run_fixture(fixture)
    expected_action = Action(str(fixture.spec["action"]))
    assert result.action is expected_action, result.reason
    if expected_action is Action.DELETE_FILE:
        assert result.text is None
    elif expected_action not in (Action.NO_CHANGE, Action.NEEDS_HUMAN):
        assert result.text == fixture.after
    assert invariant_problems(make_edit(fixture), result) == []
    for symbol in fixture.spec.get("expect_removed_symbols", []):
        assert symbol in result.removed_symbols
