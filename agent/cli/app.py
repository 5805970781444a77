"""The Typer application behind ``decom`` (every command but the fast ``scan`` path)."""

from __future__ import annotations

from typing import Annotated

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
def run(
    database: Annotated[str, typer.Argument(help="the database to retire")] = "",
    repos: Annotated[list[str] | None, typer.Argument(help="repository folders")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="another name of the database")] = None,
    exclude_name: Annotated[
        list[str] | None, typer.Option(help="a live database that must stay")
    ] = None,
    affix: Annotated[list[str] | None, typer.Option(help="another database-ish affix")] = None,
    repos_file: Annotated[
        str | None, typer.Option(help="file listing repositories, one per line (# comments)")
    ] = None,
    org: Annotated[
        str | None, typer.Option(help="every repository of this GitHub organization or user")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="with --org: only names matching this regex")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="with --org: leave out names matching this regex")
    ] = None,
    include_archived: Annotated[bool, typer.Option(help="with --org: keep archived")] = False,
    include_forks: Annotated[bool, typer.Option(help="with --org: keep forks")] = False,
    dry_run: Annotated[bool, typer.Option(help="no branches: diffs and patch files")] = False,
    base: Annotated[str | None, typer.Option(help="base branch (default: default)")] = None,
    resume: Annotated[str | None, typer.Option(help="continue the run RUN_ID")] = None,
    state_dir: Annotated[str | None, typer.Option(help="state directory (.decom/)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    only_failed: Annotated[
        str | None, typer.Option(help="rerun the failed repositories of RUN_ID")
    ] = None,
    fail_fast: Annotated[bool, typer.Option(help="start no repository after a failure")] = False,
    executor: Annotated[
        str, typer.Option(help="local (this process) or celery (distributed workers)")
    ] = "local",
    max_qa_iterations: Annotated[int, typer.Option(min=1, max=10)] = 3,
    max_concurrency: Annotated[
        int | None, typer.Option(min=1, max=256, help="repositories in flight (default 4)")
    ] = None,
    max_model_calls: Annotated[
        int | None, typer.Option(min=1, max=64, help="LLM calls in flight (default 4)")
    ] = None,
    max_forge_writes: Annotated[
        int | None, typer.Option(min=1, max=16, help="forge writes in flight (default 2)")
    ] = None,
) -> None:
    """Retire DATABASE from REPO...: rewrite, check, commit to decommission/<db>, report."""
    from agent.cli.run import run_command
    from agent.errors import DecomError, InputError
    from agent.repos_file import read_repos_file

    if resume and only_failed:
        typer.echo("decom run: --resume and --only-failed are exclusive: pick one", err=True)
        raise typer.Exit(2)
    if executor not in ("local", "celery"):
        typer.echo(f"decom run: --executor is local or celery, not {executor!r}", err=True)
        raise typer.Exit(2)
    continuing = resume or only_failed
    targets = list(repos or [])
    if repos_file and not continuing:
        try:
            targets += [t for t in read_repos_file(repos_file) if t not in targets]
        except InputError as exc:
            typer.echo(f"decom run: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
    if org and not continuing:
        from agent.cli.run import org_targets

        try:
            listed = org_targets(
                org, include or [], exclude or [], state_dir=state_dir,
                include_archived=include_archived, include_forks=include_forks,
            )  # fmt: skip
        except DecomError as exc:
            typer.echo(f"decom run: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        targets += [t for t in listed if t not in targets]
        if not listed:
            typer.echo(
                f"decom run: no repository of {org} to work on (see the skips above)", err=True
            )
            raise typer.Exit(2)
    elif (include or exclude) and not org:
        typer.echo("decom run: --include/--exclude filter --org: pass --org ORG", err=True)
        raise typer.Exit(2)
    if not continuing and not targets:
        typer.echo(
            "decom run: pass DATABASE and at least one REPO or --repos-file "
            "(or --resume RUN_ID / --only-failed RUN_ID)",
            err=True,
        )
        raise typer.Exit(2)
    raise typer.Exit(
        run_command(
            database,
            targets,
            aliases=alias or [],
            exclude_names=exclude_name or [],
            affixes=affix or [],
            dry_run=dry_run,
            base=base,
            resume=resume,
            only_failed=only_failed,
            fail_fast=fail_fast,
            executor=executor,
            state_dir=state_dir,
            as_json=as_json,
            max_qa_iterations=max_qa_iterations,
            bounds={
                "max_concurrent_repos": max_concurrency,
                "max_concurrent_model_calls": max_model_calls,
                "max_concurrent_forge_writes": max_forge_writes,
            },
        )
    )


@app.command()
def runs(
    database: Annotated[str | None, typer.Argument(help="only runs of this database")] = None,
    state_dir: Annotated[str | None, typer.Option(help="state directory (.decom/)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """List the runs in the state directory: id, database, status, repositories per status."""
    from agent.cli.runs import runs_command

    raise typer.Exit(runs_command(database, state_dir=state_dir, as_json=as_json))


@app.command()
def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, max=256, help="repositories this worker runs at once")
    ] = 1,
    state_dir: Annotated[
        str | None, typer.Option(help="where this worker writes records and logs (.decom/)")
    ] = None,
    queue: Annotated[
        list[str] | None,
        typer.Option(help="a Celery queue to work on, repeatable (default: DECOM_CELERY_QUEUE)"),
    ] = None,
    pool: Annotated[
        str, typer.Option(help="prefork (processes), threads, or solo (in this process)")
    ] = "prefork",
) -> None:
    """Work on the repositories of distributed runs (DECOM_BROKER_URL, DECOM_DATABASE_URL)."""
    from agent.errors import DecomError
    from agent.settings import load_settings

    try:
        settings = load_settings(state_dir=state_dir)
    except DecomError as exc:
        typer.echo(f"decom worker: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    from graph.celery_app import run_worker

    try:
        code = run_worker(settings, concurrency=concurrency, pool=pool, queues=queue or ())
    except DecomError as exc:
        typer.echo(f"decom worker: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    raise typer.Exit(code)


@app.command()
def doctor(
    state_dir: Annotated[str | None, typer.Option(help="state directory to check")] = None,
) -> None:
    """Check what is configured: git, ripgrep, repomix, GitHub, Slack, the model."""
    from agent.doctor import Status, run_checks
    from agent.errors import DecomError
    from agent.settings import load_settings

    try:
        settings = load_settings(state_dir=state_dir)
    except DecomError as exc:
        typer.echo(f"decom doctor: {exc}", err=True)
        raise typer.Exit(2) from exc
    results = run_checks(settings)
    for check in results:
        typer.echo(f"{check.status.value:<5} {check.name:<10} {check.detail}")
    failed = [c for c in results if c.status is Status.FAIL and c.required]
    raise typer.Exit(1 if failed else 0)


@app.command()
def version() -> None:
    """Print decom's version."""
    from importlib.metadata import version as package_version

    typer.echo(package_version("decom"))


@app.command()
def status(
    database: Annotated[str, typer.Argument(help="the database of the campaign")],
    state_dir: Annotated[str | None, typer.Option(help="state directory (.decom/)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Show every repository of DATABASE's campaign: run, PR state, checks, review."""
    from agent.cli.campaign import status_command

    raise typer.Exit(status_command(database, state_dir=state_dir, as_json=as_json))


@app.command()
def close(
    database: Annotated[str, typer.Argument(help="the database of the campaign")],
    state_dir: Annotated[str | None, typer.Option(help="state directory (.decom/)")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="close without asking")] = False,
) -> None:
    """Close every open pull request of DATABASE's campaign and delete its branch."""
    from agent.cli.campaign import close_command

    raise typer.Exit(close_command(database, state_dir=state_dir, yes=yes))


@app.command("eval")
def evaluate(
    dataset: Annotated[
        list[str] | None,
        typer.Option("--dataset", help="a case of evals/datasets/ (repeatable; default: all)"),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", help="deterministic (default) or provider:model; repeat to compare"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    state_dir: Annotated[
        str | None, typer.Option(help="where results and history go (.decom/evals/)")
    ] = None,
    thresholds: Annotated[str | None, typer.Option(hidden=True)] = None,
    datasets_dir: Annotated[str | None, typer.Option(hidden=True)] = None,
) -> None:
    """Run decom on the labelled cases and score it; exit 1 below evals/thresholds.toml."""
    from agent.cli.eval import eval_command

    raise typer.Exit(
        eval_command(
            dataset or [],
            model or [],
            as_json=as_json,
            state_dir=state_dir,
            thresholds=thresholds,
            datasets_dir=datasets_dir,
        )
    )
