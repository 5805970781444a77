"""The refactor agent's in-memory workspace: the plan's files, and nothing else.

Files are read from disk once, when the workspace is made, and only when they are regular
files inside the repository (no symlink anywhere on the way, no ``..``). Afterwards the agent's
tools only see and change the in-memory copies; decom commits the result through its own forge
like any rule's output. Every request for another path, a line range that does not exist or an
oversized text raises :class:`~agent.errors.EditRefusedError`, which the tool loop turns into
a message the model can read.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from agent.errors import EditRefusedError
from agent.formats.textfile import BinaryFileError, TextFile, decode
from agent.refactor.base import line_ending, split_lines
from agent.refactor.linediff import opcodes

#: Largest file the agent is given, and largest text one replacement may insert.
MAX_FILE_CHARS = 200_000
MAX_REPLACEMENT_CHARS = 20_000
#: Most lines and characters one ``read_lines`` call returns.
MAX_READ_LINES = 200
MAX_READ_CHARS = 20_000


def safe_relative_path(path: str) -> str:
    """``path`` as a normalized POSIX path inside the repository.

    Raises:
        EditRefusedError: the path is empty, absolute, has ``..`` or characters no path has.
    """
    if not path or "\x00" in path or "\\" in path:
        raise EditRefusedError(f"refused: {path!r} is not a repository path")
    pure = PurePosixPath(path)
    if pure.is_absolute() or path.startswith("~"):
        raise EditRefusedError(f"refused: {path!r} is absolute; use a path relative to the repo")
    if ".." in pure.parts:
        raise EditRefusedError(f"refused: {path!r} leaves the repository ('..')")
    normal = pure.as_posix().removeprefix("./")
    if normal in ("", "."):
        raise EditRefusedError(f"refused: {path!r} is not a file")
    return normal


def read_confined(root: Path, path: str) -> TextFile:
    """Read a regular file under ``root`` without following any symbolic link.

    Raises:
        EditRefusedError: the path is unsafe, a link, not a regular file, binary or too big.
    """
    relative = safe_relative_path(path)
    current = root
    for part in PurePosixPath(relative).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            raise EditRefusedError(f"refused: {relative} does not exist") from None
        if stat.S_ISLNK(mode):
            raise EditRefusedError(f"refused: {relative} goes through a symbolic link")
    if not stat.S_ISREG(mode):
        raise EditRefusedError(f"refused: {relative} is not a regular file")
    try:
        fd = os.open(current, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_FILE_CHARS * 4 + 1)
    except OSError as exc:
        raise EditRefusedError(f"refused: {relative} cannot be read ({exc.strerror})") from None
    try:
        text = decode(data)
    except BinaryFileError:
        raise EditRefusedError(f"refused: {relative} is not a text file") from None
    if len(text.text) > MAX_FILE_CHARS:
        raise EditRefusedError(f"refused: {relative} is too large for the agent")
    return text


@dataclass(frozen=True, slots=True)
class WorkspaceEdit:
    """One file's state after the agent: new text (None: deleted) and the lines it changed."""

    path: str
    original: str
    new_text: str | None
    touched: list[tuple[int, int]]


class EditWorkspace:
    """In-memory copies of some files of one repository, edited only through its methods."""

    def __init__(self, files: dict[str, TextFile]) -> None:
        self._original = {p: f.text for p, f in files.items()}
        self._lines = {p: split_lines(f.text) for p, f in files.items()}
        self._deleted: set[str] = set()
        self._closed = False
        self._lock = threading.Lock()

    @classmethod
    def load(cls, root: Path, paths: Iterable[str]) -> tuple[EditWorkspace, dict[str, str]]:
        """A workspace of the given files; also the paths refused, with why."""
        files: dict[str, TextFile] = {}
        refused: dict[str, str] = {}
        for path in paths:
            try:
                files[safe_relative_path(path)] = read_confined(root, path)
            except EditRefusedError as exc:
                refused[path] = str(exc)
        return cls(files), refused

    @property
    def paths(self) -> list[str]:
        """The files the workspace holds."""
        return sorted(self._original)

    def original(self, path: str) -> str:
        """The text a file had when the workspace was made."""
        return self._original[safe_relative_path(path)]

    def close(self) -> None:
        """Refuse every further call (used when a tool loop is abandoned)."""
        with self._lock:
            self._closed = True

    def _file(self, path: str) -> tuple[str, list[str]]:
        if self._closed:
            raise EditRefusedError("refused: the workspace is closed")
        normal = safe_relative_path(path)
        if normal not in self._lines:
            raise EditRefusedError(
                f"refused: {normal} is not one of the files you may touch: {', '.join(self.paths)}"
            )
        if normal in self._deleted:
            raise EditRefusedError(f"refused: {normal} was deleted")
        return normal, self._lines[normal]

    @staticmethod
    def _check_range(path: str, lines: list[str], start: int, end: int) -> None:
        if start < 1 or end < start or end > len(lines):
            raise EditRefusedError(
                f"refused: lines {start}..{end} do not exist in {path} (it has {len(lines)} lines)"
            )

    def read_lines(self, path: str, start: int, end: int) -> str:
        """Lines ``start..end`` of a file, each as ``<number>: <text>``."""
        with self._lock:
            normal, lines = self._file(path)
            if not lines:
                return f"{normal} is empty"
            end = min(end, len(lines), start + MAX_READ_LINES - 1)
            self._check_range(normal, lines, start, end)
            shown = "".join(
                f"{n}: {lines[n - 1].rstrip(chr(10)).rstrip(chr(13))}\n"
                for n in range(start, end + 1)
            )
        if len(shown) > MAX_READ_CHARS:
            return shown[:MAX_READ_CHARS] + "\n[cut: read fewer lines]"
        return shown

    def replace_lines(self, path: str, start: int, end: int, text: str) -> str:
        """Replace lines ``start..end`` with ``text`` (empty: delete them)."""
        if len(text) > MAX_REPLACEMENT_CHARS:
            raise EditRefusedError(f"refused: the text is over {MAX_REPLACEMENT_CHARS} characters")
        with self._lock:
            normal, lines = self._file(path)
            self._check_range(normal, lines, start, end)
            ending = line_ending(lines[start - 1]) or line_ending(lines[0]) or "\n"
            last_ending = line_ending(lines[end - 1])
            new = [body + ending for body in text.replace("\r\n", "\n").split("\n")] if text else []
            if new and new[-1] == ending:
                new.pop()  # a trailing newline in ``text`` ends the last line, adds none
            if new and end == len(lines):
                # The file's last line keeps its own ending (or lack of one).
                new[-1] = new[-1].removesuffix(ending) + last_ending
            self._lines[normal] = lines[: start - 1] + new + lines[end:]
            return f"replaced; {normal} now has {len(self._lines[normal])} lines"

    def delete_file(self, path: str) -> str:
        """Delete a file of the workspace."""
        with self._lock:
            normal, _ = self._file(path)
            self._deleted.add(normal)
            return f"deleted {normal}"

    def edits(self) -> list[WorkspaceEdit]:
        """Every file the agent changed or deleted, with the original lines it touched."""
        with self._lock:
            result = []
            for path in self.paths:
                original = self._original[path]
                if path in self._deleted:
                    result.append(WorkspaceEdit(path, original, None, []))
                    continue
                new = "".join(self._lines[path])
                if new != original:
                    result.append(WorkspaceEdit(path, original, new, changed_ranges(original, new)))
            return result


def changed_ranges(original: str, new: str) -> list[tuple[int, int]]:
    """1-based inclusive ranges of ``original`` lines that ``new`` replaced or removed.

    A pure insertion is anchored on the original line before it (or line 1).
    """
    ranges = []
    for op, i1, i2, _j1, _j2 in opcodes(split_lines(original), split_lines(new)):
        if op == "equal":
            continue
        if op == "insert":
            ranges.append((max(i1, 1), max(i1, 1)))
        else:
            ranges.append((i1 + 1, i2))
    return ranges
