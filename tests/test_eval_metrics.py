"""The evaluation harness: every metric can fail, thresholds, the judge, `decom eval`."""

from __future__ import annotations

from evals.offline import offline_deepeval

offline_deepeval()  # before deepeval is first imported: no telemetry, no .env, no .deepeval/ here

import asyncio  # noqa: E402
import json  # noqa: E402
import socket  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from deepeval.evaluate import assert_test  # noqa: E402
from deepeval.test_case import LLMTestCase  # noqa: E402

from evals.harness import (  # noqa: E402
    THRESHOLDS,
    Thresholds,
    load_thresholds,
    prepare_model,
    run_and_measure,
    select_cases,
)
from evals.labels import load_case, load_cases  # noqa: E402
from evals.measure import differences, snapshot  # noqa: E402
from evals.metrics import (  # noqa: E402
    DETERMINISTIC_METRICS,
    PR_QUALITY,
    DecomMetric,
    DecoyPreservation,
    DiscoveryPrecision,
    DiscoveryRecall,
    FileIntegrity,
    Idempotency,
    LangChainJudge,
    PullRequestQuality,
    RepositoriesCompleted,
    ResidualReferences,
    UntouchedRepositories,
    case_result_of,
    case_test_case,
    configured_judge,
    score_case,
)
from evals.results import CaseResult, Discovery, KindCounts, PullRequestText  # noqa: E402
from tests.conftest import MakeRepo, git, run_decom, write_tree  # noqa: E402
from tests.llm_fakes import (  # noqa: E402
    Reply,
    ScriptedChatModel,
    answer,
    completion,
    fake_openai_server,
)


def clean(**changes: Any) -> CaseResult:
    """A case result where everything went right (10 references, 4 decoys, 3 repositories)."""
    result = CaseResult(
        case="demo",
        database="payroll_ledger",
        repos=["api", "infra", "site"],
        labelled_references=10,
        labelled_decoys=4,
        discovery=Discovery(
            overall=KindCounts(true_positives=10),
            by_kind={"code": KindCounts(true_positives=6), "docs": KindCounts(true_positives=4)},
        ),
        changed_parseable_files=5,
        untouched_repos=["site"],
        idempotency_checked=True,
    )
    return result.model_copy(update=changes)


FAILURES: list[tuple[type[DecomMetric], dict[str, Any], float]] = [
    (
        DiscoveryRecall,
        {
            "discovery": Discovery(
                overall=KindCounts(true_positives=8, false_negatives=2),
                by_kind={
                    "code": KindCounts(true_positives=4, false_negatives=2),
                    "docs": KindCounts(true_positives=4),
                },
                missed=["api/db.py:3 [code]", "api/db.py:9 [code]"],
            )
        },
        0.8,
    ),
    (
        DiscoveryPrecision,
        {
            "discovery": Discovery(
                overall=KindCounts(true_positives=10, false_positives=5),
                by_kind={
                    "code": KindCounts(true_positives=6, false_positives=5),
                    "docs": KindCounts(true_positives=4),
                },
                spurious=["api/archive.py:1 [code] PAYROLL_LEDGER_ARCHIVE_URL"],
            )
        },
        10 / 15,
    ),
    (ResidualReferences, {"residual": ["api/.env:3: PAYROLL_LEDGER_URL=postgres://x"]}, 0.9),
    (DecoyPreservation, {"damaged_decoys": ["infra/rds.tf:40"]}, 0.75),
    (FileIntegrity, {"broken": ["infra/main.tf: line 3: unexpected }"]}, 0.8),
    (UntouchedRepositories, {"untouched_changed": ["site: new refs/heads/x"]}, 0.0),
    (Idempotency, {"second_run_changes": ["api: +1 commit(s)"]}, 2 / 3),
    (RepositoriesCompleted, {"failed": ["infra: git failed"]}, 2 / 3),
]


def test_every_deterministic_metric_has_a_failure_case() -> None:
    assert {cls for cls, _, _ in FAILURES} == set(DETERMINISTIC_METRICS)


@pytest.mark.parametrize("cls,changes,expected", FAILURES, ids=[c.key for c, _, _ in FAILURES])
def test_each_metric_fails_when_it_must(
    cls: type[DecomMetric], changes: dict[str, Any], expected: float
) -> None:
    passing = cls(threshold=0.99)
    assert passing.measure(case_test_case(clean())) == 1.0
    assert passing.success is True and passing.is_successful() is True

    failing = cls(threshold=0.99)
    score = failing.measure(case_test_case(clean(**changes)))
    assert score == pytest.approx(expected)
    assert failing.score == score and failing.reason
    assert failing.success is False and failing.is_successful() is False
    assert failing.__name__ == cls.key


@pytest.mark.parametrize("cls,changes,expected", FAILURES, ids=[c.key for c, _, _ in FAILURES])
def test_a_measure_matches_measure(
    cls: type[DecomMetric], changes: dict[str, Any], expected: float
) -> None:
    test_case = case_test_case(clean(**changes))
    sync, concurrent = cls(threshold=0.9), cls(threshold=0.9)
    assert asyncio.run(concurrent.a_measure(test_case)) == sync.measure(test_case)
    assert (concurrent.reason, concurrent.success) == (sync.reason, sync.success)


def test_discovery_reports_every_kind_in_reason_and_details() -> None:
    recall, precision = DiscoveryRecall(0.5), DiscoveryPrecision(0.5)
    test_case = case_test_case(clean(**FAILURES[0][1]))
    recall.measure(test_case)
    assert recall.details == pytest.approx({"code": 4 / 6, "docs": 1.0})
    assert "code 0.67" in (recall.reason or "") and "api/db.py:3" in (recall.reason or "")
    precision.measure(case_test_case(clean(**FAILURES[1][1])))
    assert precision.details == pytest.approx({"code": 6 / 11, "docs": 1.0})
    assert "PAYROLL_LEDGER_ARCHIVE_URL" in (precision.reason or "")


def test_a_score_equal_to_the_threshold_passes_and_nothing_passes_unmeasured() -> None:
    metric = ResidualReferences(threshold=0.9)
    assert metric.is_successful() is False
    metric.measure(case_test_case(clean(residual=["api/.env:3: x"])))
    assert metric.score == pytest.approx(0.9) and metric.is_successful() is True
    stricter = ResidualReferences(threshold=0.91)
    stricter.measure(case_test_case(clean(residual=["api/.env:3: x"])))
    assert stricter.is_successful() is False


def test_deepeval_runs_the_metrics() -> None:
    metrics: list[Any] = [cls(threshold=0.99) for cls in DETERMINISTIC_METRICS]
    assert_test(case_test_case(clean()), metrics, run_async=False)
    with pytest.raises(AssertionError, match="residual_references"):
        assert_test(case_test_case(clean(residual=["api/.env:3: x"])), metrics, run_async=True)


def test_the_case_result_travels_in_the_test_case() -> None:
    result = clean(pull_requests=[PullRequestText(repo="api", title="t", body="b")])
    test_case = case_test_case(result)
    assert test_case.name == "demo[deterministic]" and "demo" in test_case.input
    assert case_result_of(test_case) == result
    with pytest.raises(ValueError, match="carries no"):
        case_result_of(LLMTestCase(input="x", actual_output="y"))


def test_thresholds_defaults_case_overrides_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text("[metrics]\nidempotency = 0.5\n[cases.demo]\nidempotency = 0.25\n")
    limits = load_thresholds(path)
    assert limits.minimum("other", "idempotency") == 0.5
    assert limits.minimum("demo", "idempotency") == 0.25
    assert limits.minimum("demo", "file_integrity") == 1.0
    scores = {s.metric: s for s in score_case(clean(case="demo"), limits)}
    assert scores["idempotency"].threshold == 0.25
    for bad in ("[metrics]\nidempotency = 1.5\n", "[metrics]\nidempotency = true\n", "x ="):
        path.write_text(bad)
        with pytest.raises(Exception, match="t.toml") as info:
            load_thresholds(path)
        assert type(info.value).__name__ == "InputError"
    with pytest.raises(Exception, match="cannot read thresholds"):
        load_thresholds(tmp_path / "missing.toml")


def test_the_shipped_thresholds_name_every_metric_and_only_known_cases() -> None:
    limits = load_thresholds(THRESHOLDS)
    assert set(limits.defaults) == {cls.key for cls in DETERMINISTIC_METRICS} | {PR_QUALITY}
    assert set(limits.cases) <= {case.name for case in load_cases()}


def test_an_unknown_dataset_names_the_known_ones() -> None:
    with pytest.raises(Exception, match="known datasets are .*k8s-operators-geo") as info:
        select_cases(["k8s-operators-geo", "no-such-case"])
    assert type(info.value).__name__ == "InputError"
    assert [c.name for c in select_cases(["k8s-operators-geo"])] == ["k8s-operators-geo"]


def no_judge_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DECOM_JUDGE_MODEL", "DECOM_MODEL", "DECOM_CRITIC_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_without_a_judge_the_pull_request_metric_is_skipped_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_judge_env(monkeypatch, tmp_path)
    judge = configured_judge()
    assert judge.model is None and "DECOM_JUDGE_MODEL" in judge.note
    pr = next(s for s in score_case(clean(), load_thresholds(), judge) if s.metric == PR_QUALITY)
    assert (
        pr.skipped and pr.score is None and pr.success is None and "DECOM_JUDGE_MODEL" in pr.reason
    )
    monkeypatch.setenv("DECOM_JUDGE_MODEL", "no-provider")
    unusable = configured_judge()
    assert unusable.model is None and "unusable" in unusable.note


def test_the_pull_request_judge_averages_geval_over_every_description() -> None:
    model = ScriptedChatModel(
        script=[
            answer(
                '{"steps": ["Does it say what is removed?", "Does it list what needs a person?"]}'
            ),
            answer('{"score": 8, "reason": "says what is removed and why"}'),
            answer('{"score": 4, "reason": "no way to verify"}'),
        ]
    )
    prs = [
        PullRequestText(repo="api", title="Decommission", body="Removes the DSN."),
        PullRequestText(repo="infra", title="Decommission", body="Removes the RDS instance."),
    ]
    metric = PullRequestQuality(LangChainJudge(model, "scripted:judge"), threshold=0.7)
    score = metric.measure(case_test_case(clean(pull_requests=prs)))
    assert score == pytest.approx(0.6)
    assert metric.is_successful() is False
    assert "api 0.80" in (metric.reason or "") and "infra 0.40" in (metric.reason or "")
    assert metric.__name__ == PR_QUALITY
    assert "what still needs a person" in str(model.received[0][0].content)


def test_the_judge_comes_from_decoms_model_factory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_judge_env(monkeypatch, tmp_path)
    replies = [
        Reply(completion('{"steps": ["Does it say what is removed and why?"]}')),
        Reply(completion('{"score": 9, "reason": "complete"}')),
    ]
    with fake_openai_server(replies) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("DECOM_JUDGE_MODEL", "openai:judge-model")
        judge = configured_judge()
        assert judge.model is not None and judge.note == "judged by openai:judge-model"
        prs = [PullRequestText(repo="api", title="Decommission", body="Removes the DSN.")]
        scores = score_case(clean(pull_requests=prs), load_thresholds(), judge)
    pr = next(s for s in scores if s.metric == PR_QUALITY)
    assert pr.score == pytest.approx(0.9) and pr.success is True
    assert [r.body["model"] for r in server.requests] == ["judge-model", "judge-model"]


def test_a_model_column_runs_decom_with_that_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The probe gets "OK"; every role then gets answers that do not parse, so each call falls
    # back to the deterministic result: the run used the model and still completes.
    replies = [Reply(completion("OK"))] + [Reply(completion("not json")) for _ in range(200)]
    with fake_openai_server(replies) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.delenv("DECOM_MODEL", raising=False)
        monkeypatch.setenv("DECOM_WRITER_MODEL", "openai:another-model")
        setup = prepare_model("openai:fake-model")
        [case] = select_cases(["k8s-operators-geo"])
        result = run_and_measure(case, tmp_path / "work", setup, idempotency=False)
    assert result.model == "openai:fake-model" and result.failed == []
    assert len(server.requests) > 1
    assert {r.body["model"] for r in server.requests} == {"fake-model"}
    assert result.discovery.overall.recall == 1.0 and result.residual == []


def test_snapshots_see_new_branches_commits_and_working_tree_changes(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", {"a.txt": "a\n"}, git_init=True)
    state = tmp_path / "state"
    before = snapshot(repo, state)
    assert differences(before, snapshot(repo, state)) == []
    git(repo, "branch", "decommission/x")
    (repo / "a.txt").write_text("b\n")
    found = differences(before, snapshot(repo, state))
    assert "new refs/heads/decommission/x" in found and "working tree changed" in found
    git(repo, "commit", "-qam", "change")
    assert any("commit(s)" in d for d in differences(before, snapshot(repo, state)))


MINI_LABELS = {
    "database": "payroll_ledger",
    "aliases": [],
    "exclude_names": ["payroll_ledger_archive"],
    "description": "two repositories: one with references, one without",
    "repos": ["api", "site"],
    "labels": [
        {"repo": "api", "path": ".env", "line": 1, "ref": True, "kind": "connection_string"},
        {
            "repo": "api",
            "path": ".env",
            "line": 2,
            "ref": True,
            "kind": "env_var",
            "note": "'ledger' is the team's nickname of the database, not passed as an alias",
        },
        {"repo": "api", "path": ".env", "line": 3, "ref": False, "note": "decoy: archive"},
        {"repo": "site", "path": "README.md", "line": 1, "ref": False, "note": "decoy: archive"},
    ],
}


def mini_case(root: Path) -> Path:
    """A two-repository case in ``root/mini`` whose labels hold a line decom cannot find."""
    folder = root / "mini"
    write_tree(
        folder / "repos",
        {
            "api/.env": (
                "PAYROLL_LEDGER_URL=postgres://app@db.internal:5432/payroll_ledger\n"
                "LEDGER_POOL_SIZE=5\n"
                "PAYROLL_LEDGER_ARCHIVE_URL=postgres://ro@archive.internal/payroll_ledger_archive\n"
            ),
            "site/README.md": "Reports read payroll_ledger_archive (kept).\n",
        },
    )
    (folder / "labels.json").write_text(json.dumps(MINI_LABELS))
    return folder


def test_the_harness_measures_a_real_run(tmp_path: Path) -> None:
    case = load_case(mini_case(tmp_path / "cases"))
    result = run_and_measure(case, tmp_path / "work", prepare_model("deterministic"))
    assert result.discovery.overall.true_positives == 1
    assert result.discovery.missed == ["api/.env:2 [env_var]"]
    assert result.residual == ["api/.env:2: LEDGER_POOL_SIZE=5 (labelled, left unchanged)"]
    assert result.damaged_decoys == [] and result.broken == [] and result.failed == []
    assert result.untouched_repos == ["site"] and result.untouched_changed == []
    assert result.idempotency_checked and result.second_run_changes == []
    assert [pr.repo for pr in result.pull_requests] == ["api"]
    scores = {s.metric: s.score for s in score_case(result, Thresholds(THRESHOLDS, {}))}
    assert scores["discovery_recall"] == 0.5 and scores["residual_references"] == 0.5


def eval_json(done: Any) -> dict[str, Any]:
    assert "Traceback" not in done.stderr, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_decom_eval_prints_json_records_results_and_exits_1_below_a_threshold(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    done = run_decom(
        "eval", "--dataset", "k8s-operators-geo", "--json", "--state-dir", str(state), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    report = eval_json(done)
    assert report["datasets"] == ["k8s-operators-geo"]
    [run] = report["runs"]
    assert run["model"] == "deterministic" and run["error"] is None
    [case] = run["cases"]
    assert {m["metric"] for m in case["metrics"]} >= {"discovery_recall", "idempotency"}
    assert all(m["success"] is not False for m in case["metrics"])
    [written] = sorted((state / "evals").glob("*.json"))
    assert json.loads(written.read_text())["runs"][0]["model"] == "deterministic"

    # A case of our own (hidden --datasets-dir) held to a temporary thresholds file.
    mini_case(tmp_path / "cases")
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[metrics]\ndiscovery_recall = 0.6\nresidual_references = 0.5\n")
    failed = run_decom(
        "eval", "--dataset", "mini", "--state-dir", str(state), "--thresholds", str(thresholds),
        "--datasets-dir", str(tmp_path / "cases"), cwd=tmp_path,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "discovery_recall" in failed.stdout and "FAILED" in failed.stdout
    assert "api/.env:2" in failed.stdout

    first, second = map(json.loads, (state / "evals" / "history.jsonl").read_text().splitlines())
    assert set(first) >= {"time", "commit", "models", "scores", "passed"}
    assert first["passed"] is True and second["passed"] is False
    assert first["models"] == second["models"] == ["deterministic"]
    assert first["scores"]["deterministic"]["k8s-operators-geo"]["discovery_recall"] == 1.0
    assert second["scores"]["deterministic"]["mini"]["discovery_recall"] == 0.5
    assert second["scores"]["deterministic"]["mini"]["residual_references"] == 0.5


def test_decom_eval_rejects_an_unknown_dataset_and_a_bad_model(tmp_path: Path) -> None:
    done = run_decom("eval", "--dataset", "nope", "--state-dir", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert "no dataset 'nope'" in done.stderr and "k8s-operators-geo" in done.stderr
    bad = run_decom("eval", "--model", "gpt-4o", "--state-dir", str(tmp_path), cwd=tmp_path)
    assert bad.returncode == 2 and "provider:model" in bad.stderr


def test_an_unreachable_model_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    done = run_decom(
        "eval",
        "--dataset",
        "k8s-operators-geo",
        "--model",
        "openai:gpt-4o-mini",
        "--json",
        "--state-dir",
        str(tmp_path),
        cwd=tmp_path,
    )
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "openai:gpt-4o-mini" in line]
    assert len(errors) == 1 and "unreachable" in errors[0]
    [run] = eval_json(done)["runs"]
    assert run["cases"] == [] and "unreachable" in run["error"]
