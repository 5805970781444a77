"""The line diff answers as difflib does (and the confinement check reads it as before)."""

from __future__ import annotations

import difflib
import random

import pytest

from agent.qa.confinement import stray_changes
from agent.refactor.base import split_lines
from agent.refactor.linediff import LineDiff, stray_in


def _random_case(rnd: random.Random) -> tuple[str, str, list[tuple[int, int]]]:
    words = ["}\n", "\n", "x = {\n", "  a: 1,\n", "y\n", "z\r\n"]
    old = [rnd.choice(words) for _ in range(rnd.randint(0, 12))]
    new = list(old)
    for _ in range(rnd.randint(0, 3)):
        where = rnd.randint(0, len(new))
        if new and rnd.random() < 0.6:
            del new[min(where, len(new) - 1)]
        else:
            new.insert(where, rnd.choice(words))
    if old and rnd.random() < 0.3:
        old[-1] = old[-1].rstrip("\n")  # no final newline
    touched = []
    for _ in range(rnd.randint(0, 3)):
        first = rnd.randint(1, max(1, len(old)))
        touched.append((first, first + rnd.randint(0, 2)))
    return "".join(old), "".join(new), touched


@pytest.mark.parametrize("seed", range(20))
def test_stray_and_opcodes_match_confinement_and_difflib(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(200):
        old, new, touched = _random_case(rnd)
        diff = LineDiff(split_lines(old), split_lines(new))
        expected = difflib.SequenceMatcher(
            a=split_lines(old), b=split_lines(new), autojunk=False
        ).get_opcodes()
        assert diff.opcodes == expected
        reference = stray_in(expected, touched, len(split_lines(old)))
        assert diff.stray(touched) == stray_changes(old, new, touched) == reference


@pytest.mark.parametrize("text", ["", "a\n", "a\nb", "}\n}\n\n}\n"])
def test_an_unchanged_text_maps_every_line_to_itself(text: str) -> None:
    lines = split_lines(text)
    diff = LineDiff(lines, list(lines))
    expected = difflib.SequenceMatcher(a=lines, b=list(lines), autojunk=False).get_opcodes()
    assert diff.opcodes == expected
    assert diff.original_lines() == {n: n for n in range(1, len(lines) + 1)}


def _edited(rnd: random.Random, lines: list[str], pieces: list[str]) -> list[str]:
    new = list(lines)
    for _ in range(rnd.randint(1, 10)):
        where = rnd.randint(0, len(new))
        if new and rnd.random() < 0.5:
            del new[where : where + rnd.randint(1, 8)]
        else:
            new[where:where] = [rnd.choice(pieces) for _ in range(rnd.randint(1, 4))]
    return new


@pytest.mark.parametrize("seed", range(8))
def test_the_line_matcher_finds_difflibs_blocks_in_repetitive_files(seed: int) -> None:
    # Blank lines, braces and copied blocks repeat; the longest block search must still
    # answer exactly as difflib's (longest, then earliest in the old, then in the new text).
    rnd = random.Random(seed)
    common = ["\n", "}\n", "    }\n", "    return x\n"]
    for _ in range(8):
        block = [rnd.choice(common + [f"s{n}\n" for n in range(5)]) for _ in range(20)]
        old: list[str] = []
        size = rnd.randint(40, 500)
        while len(old) < size:
            if rnd.random() < 0.3:
                old += block
            else:
                old += [rnd.choice(common) if rnd.random() < 0.4 else f"u{rnd.randint(0, 400)}\n"]
        new = _edited(rnd, old, common + ["added\n"])
        for a, b in ((old, new), (new, old)):
            expected = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            assert LineDiff(a, b).opcodes == expected
