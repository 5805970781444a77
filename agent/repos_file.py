"""``--repos-file``: read the repositories of a batch run from a text file.

One target per line: a local path, ``owner/name`` or a repository URL. Blank lines and
``#`` comments (whole-line or trailing after whitespace) are ignored; relative paths are
resolved against the file's folder, so a list kept beside the repositories works from
any current directory. Duplicates keep their first position.
"""

from __future__ import annotations

import os
from pathlib import Path

from agent.errors import InputError
from agent.forge.github_ref import looks_like_repo_ref

MAX_REPOS_FILE_BYTES = 4 * 1024 * 1024


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    for marker in (" #", "\t#"):
        cut = line.find(marker)
        if cut != -1:
            line = line[:cut]
    return line.strip()


def read_repos_file(path: str | Path) -> list[str]:
    """The targets listed in ``path``, local paths made absolute.

    Raises:
        InputError: the file is missing, unreadable, too large, not UTF-8 text, or lists
            nothing.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise InputError(f"--repos-file {path}: no such file")
    try:
        if file.stat().st_size > MAX_REPOS_FILE_BYTES:
            raise InputError(f"--repos-file {path}: larger than 4 MiB, not a repository list")
        raw = file.read_bytes()
    except OSError as exc:
        raise InputError(f"--repos-file {path}: cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"--repos-file {path}: not UTF-8 text (line-per-repository list)") from exc
    if "\x00" in text:
        raise InputError(f"--repos-file {path}: binary file, not a repository list")
    base = file.resolve().parent
    targets: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        target = _strip_comment(line)
        if not target:
            continue
        if not looks_like_repo_ref(target):
            local = Path(target).expanduser()
            target = os.path.normpath(local if local.is_absolute() else base / local)
        if target not in seen:
            seen.add(target)
            targets.append(target)
    if not targets:
        raise InputError(f"--repos-file {path}: lists no repository (only blanks or comments)")
    return targets
