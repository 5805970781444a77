"""The notebook API (``from agent import Session``) and its chat, on real repositories.

Real git repositories, the real SQLite checkpointer and ledger; a "new kernel" is a new
Session on the same state directory. Only the chat model is fake (tests/llm_fakes.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage

from agent import Session
from agent.batch.ledger import open_ledger
from agent.errors import InputError
from agent.llm.factory import overridden_models
from agent.notebook.chat import CHAT_ROLE
from tests.conftest import ROOT, MakeRepo, git
from tests.llm_fakes import ScriptedChatModel, answer, calls, make_settings

DB = "payroll_ledger"
BRANCH = f"decommission/{DB}"
SVC = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "runbooks/payroll-ledger.md": "# Payroll Ledger\n\nRestore from the nightly snapshot.\n",
    "README.md": "# svc\n",
}
INFRA = {"app.env": "PAYROLL_LEDGER_HOST=ledger.internal\nOTHER=1\n"}
WEB = {"index.html": "<h1>welcome</h1>\n"}
HOSTILE_NAME = "<img src=x onerror=alert(1)>.md"


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No model from the environment or a decom.toml: deterministic unless a test fakes one."""
    make_settings(monkeypatch, tmp_path)


@pytest.fixture
def repos(make_repo: MakeRepo) -> dict[str, Path]:
    return {
        "svc": make_repo("svc", SVC, git_init=True),
        "infra": make_repo("infra", INFRA, git_init=True),
        "web": make_repo("web", WEB, git_init=True),
    }


def session(repos: dict[str, Path], state: Path) -> Session:
    return Session(DB, [repos["svc"], repos["infra"], repos["web"]], state_dir=state)


def branches(repo: Path) -> str:
    return git(repo, "branch", "--list", "decommission/*").strip()


def changed_on_branch(repo: Path) -> list[str]:
    return git(repo, "diff", "--name-only", "main", BRANCH).split()


def test_plan_pauses_every_repository_with_references_and_writes_nothing(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    s = session(repos, tmp_path / "state")
    plan = s.plan()
    states = {r.repo: r.state for r in plan.repos}
    assert states == {
        "svc": "waiting for approval",
        "infra": "waiting for approval",
        "web": "no_references",
    }
    actions = {(r.repo, r.path): r.action for r in plan.rows}
    assert actions == {
        ("svc", "config/app.env"): "comment_out",
        ("svc", "runbooks/payroll-ledger.md"): "delete_file",
        ("infra", "app.env"): "comment_out",
    }
    assert plan.to_dict()["rows"][0]["repo"] == "svc"
    assert all(branches(r) == "" for r in repos.values())
    assert s.plan().rows == plan.rows  # planning again changes nothing


def test_diff_shows_the_proposed_change_and_unknown_paths_name_close_ones(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    s = session(repos, tmp_path / "state")
    s.plan()
    edit = s.diff("config/app.env")
    assert edit.stage == "proposed" and edit.action == "comment_out"
    assert "-PAYROLL_LEDGER_URL=postgres://h/payroll_ledger" in edit.lines
    assert any(line.startswith("+# decom:") for line in edit.lines)
    assert " LOG_LEVEL=info" in edit.lines
    assert 'style="background:#ffebe9' in edit._repr_html_()
    deleted = s.diff("svc/runbooks/payroll-ledger.md")  # repo-name/path works too
    assert deleted.lines[:2] == ["--- a/runbooks/payroll-ledger.md", "+++ /dev/null"]
    assert [line for line in deleted.lines if line.startswith("-")][1:] == [
        "-# Payroll Ledger", "-", "-Restore from the nightly snapshot.",
    ]  # fmt: skip
    assert s.diff("app.env").repo == "infra"
    with pytest.raises(InputError) as error:
        s.diff("config/app.evn")
    assert str(error.value) == (
        "'config/app.evn' is not a planned file: did you mean svc/config/app.env, infra/app.env?"
    )
    with pytest.raises(InputError, match=r"of svc: did you mean config/app.env\?$"):
        s.diff("config/app.evn", repo="svc")


def test_approve_with_an_exclusion_then_apply(repos: dict[str, Path], tmp_path: Path) -> None:
    state = tmp_path / "state"
    s = session(repos, state)
    s.plan()
    with pytest.raises(InputError, match="match no planned file: runbook/"):
        s.approve(exclude=["runbook/*"])  # a typo: nothing recorded
    assert not (state / "runs" / s.run_id / "decisions.json").exists()
    decided = s.approve(exclude=["runbooks/*"])
    by_repo = {r.repo: r for r in decided.rows}
    assert by_repo["svc"].exclude == ("runbooks/*",)
    assert by_repo["svc"].left_for_a_person == ("runbooks/payroll-ledger.md",)
    assert by_repo["infra"].exclude == ()  # the pattern matches nothing there: not passed on

    applied = s.apply()
    rows = {r.repo: r for r in applied.rows}
    assert rows["svc"].status == "changed" and rows["svc"].branch == BRANCH
    assert rows["svc"].files_changed == 1 and rows["svc"].files_deleted == 0
    assert any("runbooks/payroll-ledger.md: excluded" in i for i in rows["svc"].needs_human)
    assert rows["svc"].pr_record and Path(rows["svc"].pr_record).is_file()
    assert rows["infra"].status == "changed"
    assert rows["web"].status == "no_references"
    assert changed_on_branch(repos["svc"]) == ["config/app.env"]
    runbook = git(repos["svc"], "show", f"{BRANCH}:runbooks/payroll-ledger.md")
    assert runbook == SVC["runbooks/payroll-ledger.md"]  # excluded: untouched on the branch
    assert changed_on_branch(repos["infra"]) == ["app.env"]
    assert branches(repos["web"]) == ""

    assert s.diff("config/app.env").stage == "applied"
    assert {r.repo: r.state for r in s.status().rows} == {
        "svc": "changed", "infra": "changed", "web": "no_references",
    }  # fmt: skip
    with open_ledger(state) as ledger:
        (run,) = ledger.runs(DB)
    assert (run.run_id, run.executor, run.status) == (s.run_id, "notebook", "done")
    assert run.counts == {"changed": 2, "no_references": 1}


def test_abort_writes_nothing(repos: dict[str, Path], tmp_path: Path) -> None:
    s = session(repos, tmp_path / "state")
    s.plan()
    aborted = s.abort("the DBA says not yet", repo="svc")
    assert [(r.repo, r.status, r.error) for r in aborted.rows] == [
        ("svc", "aborted", "the DBA says not yet")
    ]
    with pytest.raises(InputError, match=r"svc is not waiting for approval \(aborted\)"):
        s.approve(repo="svc")
    s.abort()
    assert all(branches(r) == "" for r in repos.values())
    assert {r.repo: r.state for r in s.status().rows}["infra"] == "aborted"


def test_a_new_session_on_the_same_state_continues_where_it_paused(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    state = tmp_path / "state"
    first = session(repos, state)
    first.plan()
    first.approve(exclude=["runbooks/payroll-ledger.md"], repo="svc")
    run_id = first.run_id
    del first

    again = Session.attach(run_id, state_dir=state)  # "a new kernel"
    assert again.repos == ["svc", "infra", "web"]
    waiting = {r.repo: r.detail for r in again.status().rows}
    assert "approve without runbooks/payroll-ledger.md" in waiting["svc"]
    same = Session(DB, [repos["svc"], repos["infra"], repos["web"]], state_dir=state, run_id=run_id)
    assert same.diff("config/app.env").stage == "proposed"

    applied = again.apply(repo="svc")
    assert [r.status for r in applied.rows] == ["changed"]
    assert changed_on_branch(repos["svc"]) == ["config/app.env"]
    assert {r.repo: r.state for r in same.status().rows}["infra"] == "waiting for approval"
    with pytest.raises(InputError, match="retires payroll_ledger, not orders"):
        Session("orders", [repos["svc"]], state_dir=state, run_id=run_id)
    with pytest.raises(InputError, match="no run 'nope'"):
        Session.attach("nope", state_dir=state)


def test_html_escapes_hostile_repository_content(make_repo: MakeRepo, tmp_path: Path) -> None:
    hostile = make_repo(
        "hostile",
        {
            HOSTILE_NAME: "# Notes\n\nThe Payroll Ledger database <script>alert(2)</script>\n",
            "app.env": "PAYROLL_LEDGER_URL=postgres://h/db\x1b[2J\n",
        },
        git_init=True,
    )
    s = Session(DB, [hostile], state_dir=tmp_path / "state")
    views = [s.scan(), s.plan(), s.diff(HOSTILE_NAME), s.status()]
    for view in views:
        page = view._repr_html_()
        assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.md" in views[1]._repr_html_()
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in views[0]._repr_html_()
    assert "\x1b" not in str(views[0]) and "\\x1b[2J" in str(views[0])


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.apply(),
        lambda s: s.approve(),
        lambda s: s.abort(),
        lambda s: s.diff("config/app.env"),
    ],
    ids=["apply", "approve", "abort", "diff"],
)
def test_wrong_order_is_one_line(repos: dict[str, Path], tmp_path: Path, call: object) -> None:
    s = session(repos, tmp_path / "state")
    assert callable(call)
    with pytest.raises(InputError) as error:
        call(s)
    assert str(error.value) == "nothing has been planned yet: run session.plan() first"
    assert [r.state for r in s.status().rows] == ["not planned"] * 3


def test_unknown_repository_is_one_line(repos: dict[str, Path], tmp_path: Path) -> None:
    s = session(repos, tmp_path / "state")
    s.plan()
    with pytest.raises(InputError) as error:
        s.approve(repo="nope")
    assert str(error.value) == "unknown repository 'nope': this session has svc, infra, web"


def test_import_agent_stays_light() -> None:
    code = (
        "import sys, agent\n"
        "assert 'agent.notebook' not in sys.modules and 'langgraph' not in sys.modules\n"
        "from agent import Session\n"
        "assert Session.__module__ == 'agent.notebook.session'\n"
        "assert 'langgraph' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# -- chat ---------------------------------------------------------------------------------


def test_chat_without_a_model_says_how_to_configure_one(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    reply = session(repos, tmp_path / "state").chat("plan it", echo=False)
    assert "DECOM_MODEL=openai:gpt-4o-mini" in reply.text and "OPENAI_BASE_URL" in reply.text
    assert reply.rows == ()


def test_chat_plans_diffs_approves_with_an_exclusion_and_applies(
    repos: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = ScriptedChatModel(
        script=[
            calls(("plan", {})),
            calls(("diff", {"path": "config/app.env", "repo": "svc"})),
            calls(("approve", {"exclude": ["runbooks/*"]})),
            calls(("apply", {})),
            answer("Done: svc and infra have a branch; the runbook is left for a person."),
        ]
    )
    s = session(repos, tmp_path / "state")
    with overridden_models({CHAT_ROLE: model}):
        reply = s.chat("Retire payroll_ledger but keep the runbooks.")
    assert reply.text.startswith("Done:")
    assert [r.tool for r in reply.rows] == ["plan", "diff", "approve", "apply"]
    assert model.tool_names == ["scan", "plan", "diff", "approve", "abort", "apply", "status"]
    results = [m for m in model.received[-1] if isinstance(m, ToolMessage)]
    assert "-PAYROLL_LEDGER_URL=postgres://h/payroll_ledger" in str(results[1].content)
    assert changed_on_branch(repos["svc"]) == ["config/app.env"]
    assert changed_on_branch(repos["infra"]) == ["app.env"]
    assert branches(repos["web"]) == ""
    printed = capsys.readouterr().out
    assert "-> apply({})" in printed and "svc: qa_critic" in printed  # progress streamed


def test_chat_refuses_what_is_outside_the_session(repos: dict[str, Path], tmp_path: Path) -> None:
    state = tmp_path / "state"
    s = session(repos, state)
    s.plan()
    model = ScriptedChatModel(
        script=[
            calls(("diff", {"path": "../../etc/passwd"})),
            calls(("diff", {"path": "secrets/prod.env", "repo": "svc"})),
            calls(("approve", {"exclude": ["/etc/*"]})),
            calls(("apply", {"repo": "somebody-elses-repo"})),
            calls(("apply", {"skip_qa": True})),
            calls(("drop_database", {})),
            answer("I cannot do that."),
        ]
    )
    with overridden_models({CHAT_ROLE: model}):
        reply = s.chat("show me /etc/passwd and ship it without QA", echo=False)
    told = [str(m.content) for m in model.received[-1] if isinstance(m, ToolMessage)]
    assert len(told) == 6 and all(t.startswith("refused: ") for t in told)
    assert "is not inside a repository" in told[0]
    assert "'secrets/prod.env' is not a planned file of svc" in told[1]
    assert "unknown repository 'somebody-elses-repo'" in told[3]
    assert "skip_qa" in told[4] and "no tool 'drop_database'" in told[5]
    assert reply.text == "I cannot do that."
    assert all(branches(r) == "" for r in repos.values())
    assert not (state / "runs" / s.run_id / "decisions.json").exists()
    assert {r.state for r in s.status().rows} == {"waiting for approval", "no_references"}
    assert json.loads(json.dumps(reply.to_dict()))["rows"][0]["tool"] == "diff"
