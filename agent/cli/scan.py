"""``decom scan``: report every reference to a database, as a summary or as JSON."""

from __future__ import annotations

import argparse
import sys

from agent.errors import DecomError

# Until ripgrep runs, every import adds to the scan's wall time: json, pathlib and the engine
# are imported after it started (see agent.discovery.api), typing not at all.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from collections.abc import Sequence


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (not a usage dump) on bad arguments."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"decom scan: {message} (see decom scan --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``decom scan``."""
    parser = _Parser(
        prog="decom scan",
        description="Find every reference to DATABASE in the given repositories.",
    )
    parser.add_argument("database", help="name of the database to retire")
    parser.add_argument("repos", nargs="+", metavar="REPO", help="repository folders to scan")
    parser.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="NAME",
        help="another name of the same database (repeatable)",
    )
    parser.add_argument(
        "--exclude-name",
        action="append",
        default=[],
        metavar="NAME",
        help="a live database that must never be reported, with all its spellings (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object to stdout")
    parser.add_argument("--output", metavar="FILE", help="also write the JSON object to FILE")
    parser.add_argument(
        "--max-file-bytes",
        type=int,
        default=None,
        metavar="N",
        help="skip (and report) files larger than N bytes (default 2 MiB)",
    )
    parser.add_argument(
        "--affix",
        action="append",
        default=[],
        metavar="WORD",
        help="an extra word that may stand next to the name and still denote it (repeatable)",
    )
    return parser


def scan_main(argv: Sequence[str]) -> int:
    """Run ``decom scan`` with ``argv`` (the arguments after ``scan``); return the exit code."""
    args = build_parser().parse_args(list(argv))
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
