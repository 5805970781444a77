"""The Typer application behind ``decom`` (every command but the fast ``scan`` path)."""

from __future__ import annotations

import typer

from agent.cli.scan import scan_main

app = typer.Typer(
    name="decom",
    help="Retire a database from an organization's code.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
def scan(ctx: typer.Context) -> None:
    """Find every reference to DATABASE in REPO... (see `decom scan --help`)."""
    raise typer.Exit(scan_main(ctx.args))


@app.command()
def version() -> None:
    """Print decom's version."""
    from importlib.metadata import version as package_version

    typer.echo(package_version("decom"))
