"""The code rule counts an import's uses by words, as its regex would."""

from __future__ import annotations

import random
import re

import pytest

from agent.refactor.rules.code_fixups import NameUses


def _regex_count(name: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w.]){re.escape(name)}(?!\w)", text))


@pytest.mark.parametrize("seed", range(10))
def test_counts_match_the_regex(seed: int) -> None:
    rnd = random.Random(seed)
    pieces = ["os", "os.path", "path", ".os", "_os", "os_", "é", "osé", " ", "\n", "(", "-", "2"]
    names = ["os", "path", "é", "osé", "os.path", "_os", "2", "yaml.v2", "a-b", ""]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        uses = NameUses(text)
        for name in names:
            assert uses.count(name) == _regex_count(name, text), (name, text)
