"""``decom scan``: report every reference to a database, as a summary or as JSON."""

from __future__ import annotations

import sys

from agent.errors import DecomError

# Until ripgrep runs, every import adds to the scan's wall time: json, pathlib and the engine
# are imported after it started (see agent.discovery.api), typing not at all, and argparse
# (~10 ms with what building a parser loads) only for a command line out of the ordinary.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

#: The options: flag, action ("append", "flag", "value" or "int"), metavar, help.
OPTIONS: tuple[tuple[str, str, str | None, str], ...] = (
    ("--alias", "append", "NAME", "another name of the same database (repeatable)"),
    (
        "--exclude-name",
        "append",
        "NAME",
        "a live database that must never be reported, with all its spellings (repeatable)",
    ),
    ("--json", "flag", None, "print one JSON object to stdout"),
    ("--output", "value", "FILE", "also write the JSON object to FILE"),
    ("--max-file-bytes", "int", "N", "skip (and report) files larger than N bytes (default 2 MiB)"),
    (
        "--affix",
        "append",
        "WORD",
        "an extra word that may stand next to the name and still denote it (repeatable)",
    ),
)


class ScanArgs:
    """The parsed command line (argparse fills the same object)."""

    def __init__(self) -> None:
        self.database = ""
        self.repos: list[str] = []
        self.alias: list[str] = []
        self.exclude_name: list[str] = []
        self.json = False
        self.output: str | None = None
        self.max_file_bytes: int | None = None
        self.affix: list[str] = []


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``decom scan``."""
    import argparse

    class Parser(argparse.ArgumentParser):
        """argparse that exits 2 with one line (not a usage dump) on bad arguments."""

        def error(self, message: str) -> None:  # type: ignore[override]
            sys.stderr.write(f"decom scan: {message} (see decom scan --help)\n")
            raise SystemExit(2)

    parser = Parser(
        prog="decom scan",
        description="Find every reference to DATABASE in the given repositories.",
    )
    parser.add_argument("database", help="name of the database to retire")
    parser.add_argument("repos", nargs="+", metavar="REPO", help="repository folders to scan")
    for flag, action, metavar, help_text in OPTIONS:
        if action == "flag":
            parser.add_argument(flag, action="store_true", help=help_text)
        elif action == "append":
            parser.add_argument(flag, action="append", default=[], metavar=metavar, help=help_text)
        elif action == "int":
            parser.add_argument(flag, type=int, metavar=metavar, help=help_text)
        else:
            parser.add_argument(flag, metavar=metavar, help=help_text)
    return parser


def parse_args(argv: Sequence[str]) -> ScanArgs:
    """Parse the arguments after ``scan``; on bad arguments exit 2 with one line."""
    return _parse_plain(argv) or build_parser().parse_args(list(argv), namespace=ScanArgs())


def _parse_plain(argv: Sequence[str]) -> ScanArgs | None:
    """Read a plain command line exactly as argparse would, or return None for any other.

    Plain: every option spelled in full with its value as the next word (not starting with
    ``-``), and the database and repositories as one run of words. ``--help``, ``--opt=value``,
    abbreviations, ``--``, bad values and mistakes are left to argparse, which answers them.
    """
    actions = {flag: action for flag, action, _, _ in OPTIONS}
    args = ScanArgs()
    words: list[str] = []
    ended = False  # an option came after the run of words: no more words may follow
    i = 0
    while i < len(argv):
        word = argv[i]
        action = actions.get(word)
        if action is None:
            if word.startswith("-") or ended:
                return None
            words.append(word)
        elif action == "flag":
            ended = bool(words)
            setattr(args, word[2:].replace("-", "_"), True)
        else:
            ended = bool(words)
            i += 1
            if i == len(argv) or argv[i].startswith("-"):
                return None
            dest, value = word[2:].replace("-", "_"), argv[i]
            if action == "append":
                getattr(args, dest).append(value)
            elif action == "int":
                try:
                    setattr(args, dest, int(value))
                except ValueError:
                    return None  # argparse words the error
            else:
                setattr(args, dest, value)
        i += 1
    if len(words) < 2:
        return None
    args.database, args.repos = words[0], words[1:]
    return args


def scan_main(argv: Sequence[str]) -> int:
    """Run ``decom scan`` with ``argv`` (the arguments after ``scan``); return the exit code.

    The cyclic garbage collector is off meanwhile: a scan makes no reference cycles, and
    the collector would only walk the lists of lines it holds, again and again (~5 ms on a
    site-packages scan). At exit it is not run either (see :func:`_no_collection_at_exit`).
    """
    import gc

    _no_collection_at_exit()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan(argv)
    finally:
        if enabled:
            gc.enable()


_exit_hook: list[bool] = []


def _no_collection_at_exit() -> None:
    """Freeze every object at exit, so the interpreter's last collection does not walk them.

    The process ends right after a scan; the operating system frees its memory either way
    and the last collection would walk every module's objects first (~10 ms).
    """
    if not _exit_hook:
        import atexit
        import gc

        atexit.register(gc.freeze)
        _exit_hook.append(True)


def _scan(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from agent.discovery.api import start_scan
    from agent.discovery.launch import DEFAULT_MAX_FILE_BYTES

    try:
        pending = start_scan(
            args.database,
            args.repos,
            aliases=args.alias,
            exclude_names=args.exclude_name,
            max_file_bytes=args.max_file_bytes or DEFAULT_MAX_FILE_BYTES,
            extra_affixes={a.lower() for a in args.affix},
        )
        # ripgrep is walking the tree now; import what interprets its output meanwhile.
        import json
        from pathlib import Path

        import agent.discovery.aliases  # noqa: F401
        import agent.discovery.engine  # noqa: F401

        result = pending.finish()
    except DecomError as exc:
        sys.stderr.write(f"decom scan: {exc}\n")
        return exc.exit_code
    payload = result.to_json()
    if args.output:
        try:
            Path(args.output).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            sys.stderr.write(f"decom scan: cannot write {args.output}: {exc.strerror}\n")
            return 2
    if args.json:
        sys.stdout.write(json.dumps(payload) + "\n")
    else:
        from agent.cli.render import print_scan

        print_scan(result)
    return 0
