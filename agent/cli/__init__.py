"""The ``decom`` command line.

``decom scan`` is dispatched before Typer is imported: a scan is often a few tens of
milliseconds of ripgrep, and importing Typer and its Click alone costs ~120 ms. The scan
command parses its own arguments (:mod:`agent.cli.scan`) and is also registered in the Typer
app, which forwards to the same function, so ``decom --help`` lists it and behaviour is one.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``decom`` console script."""
    argv = sys.argv[1:]
    if argv[:1] == ["scan"]:
        from agent.cli.scan import scan_main

        raise SystemExit(scan_main(argv[1:]))
    from agent.cli.app import app

    app()
