"""An in-process stand-in for GitHub: the REST endpoints the forge calls, over real bare repos.

Served on 127.0.0.1 by the standard library's HTTP server. Request and response shapes follow
GitHub's REST documentation (repos get, forks, merge-upstream, users, pulls list/create/update,
requested_reviewers, issue labels, git refs delete, organization and user repository lists with
``Link`` pagination, pull get and reviews, commit status and check runs, git ref get); payloads
carry the documented fields the forge reads plus the usual neighbours. Branches live in real
bare git repositories under ``root/<owner>/<name>.git`` (served as ``file://`` URLs), so pushes,
deletes and pull request heads are real. Faults (rate limits, 5xx) are scripted per method and path.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt

from tests.conftest import git, write_tree

DOCS = "https://docs.github.com/rest"

#: Status, extra headers and JSON payload of one answer.
Answer = tuple[int, dict[str, str], Any]


@dataclass
class FakeRepo:
    owner: str
    name: str
    bare: Path
    default_branch: str = "main"
    can_push: bool = True
    fork_of: str | None = None
    archived: bool = False
    fork: bool = False
    #: Kilobytes, as GitHub reports them; 0 for an empty repository.
    size: int = 120
    pushed_at: str | None = "2026-01-01T00:00:00Z"

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def branch_sha(self, branch: str) -> str | None:
        done = subprocess.run(
            ["git", "-C", str(self.bare), "rev-parse", "--verify", "--quiet",
             f"refs/heads/{branch}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return done.stdout.strip() or None


@dataclass
class FakePull:
    number: int
    repo: str
    head_owner: str
    head_ref: str
    base: str
    title: str
    body: str
    draft: bool
    state: str = "open"
    merged: bool = False
    labels: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    #: Submitted reviews, oldest first: (reviewer login, APPROVED / CHANGES_REQUESTED / ...).
    reviews: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorized: bool


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    headers: dict[str, str]
    body: Any
    times: int


class FakeGitHub:
    """GitHub's REST API for one authenticated user (``decom-bot``), in memory."""

    def __init__(self, root: Path, token: str, *, user: str = "decom-bot") -> None:
        self.root = root
        self.token = token
        self.user = user
        self.repos: dict[str, FakeRepo] = {}
        self.pulls: list[FakePull] = []
        self.accounts: dict[str, str] = {user: "User"}
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.non_collaborators: set[str] = set()
        #: A GitHub App's public key (PEM): set it to accept app JWTs and mint ``token``.
        self.app_public_key: bytes | None = None
        self.app_jwt_issuers: list[str] = []
        #: Commit statuses per (``owner/name``, sha): (context, state), oldest first.
        self.statuses: dict[tuple[str, str], list[tuple[str, str]]] = {}
        #: Check runs per (``owner/name``, sha): (name, status, conclusion).
        self.check_runs: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}
        self._url = ""
        self._lock = threading.Lock()
        self._bearer: str | None = None
        self._server: ThreadingHTTPServer | None = None

    # --- set-up -------------------------------------------------------------------------
    def add_repo(
        self, owner: str, name: str, files: dict[str, str | bytes], *, can_push: bool = True
    ) -> FakeRepo:
        """A repository with one commit of ``files`` on ``main``."""
        work = self.root / "work" / owner / name
        work.mkdir(parents=True)
        write_tree(work, files)
        git(work, "init", "-q", "-b", "main")
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", "initial")
        bare = self.root / "remotes" / owner / f"{name}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        git(self.root, "clone", "-q", "--bare", str(work), str(bare))
        git(bare, "config", "uploadpack.allowFilter", "true")
        self.accounts.setdefault(owner, "Organization")
        repo = FakeRepo(owner, name, bare, can_push=can_push)
        self.repos[repo.full_name] = repo
        return repo

    def list_repo(self, owner: str, name: str, **attributes: Any) -> FakeRepo:
        """A repository that only appears in listings (no git behind it): fast, for orgs."""
        self.accounts.setdefault(owner, "Organization")
        bare = self.root / "remotes" / owner / f"{name}.git"
        repo = FakeRepo(owner, name, bare, **attributes)
        self.repos[repo.full_name] = repo
        return repo

    @property
    def git_base_url(self) -> str:
        return (self.root / "remotes").as_uri() + "/"

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status``."""
        message = {"message": "Server Error"} if status >= 500 else {"message": "Forbidden"}
        payload = message if body is None else body
        fault = Fault(method, re.compile(path), status, headers or {}, payload, times)
        self.faults.append(fault)

    def calls(self, method: str, pattern: str = "") -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    @contextmanager
    def serving(self) -> Iterator[str]:
        """Serve on 127.0.0.1; yields the API root URL."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

            def do_PATCH(self) -> None:
                fake._handle(self)

            def do_DELETE(self) -> None:
                fake._handle(self)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        self._server = server
        self._url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            yield f"{self._url}/"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    # --- dispatch -----------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        auth = handler.headers.get("Authorization", "")
        authorized = auth in (f"token {self.token}", f"Bearer {self.token}")
        method = handler.command
        with self._lock:
            self._bearer = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
            self.requests.append(
                Recorded(method, parts.path, parse_qs(parts.query), body, authorized)
            )
            status, headers, payload = self._answer(
                method, parts.path, parse_qs(parts.query), body, authorized
            )
        data = b"" if payload is None else json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in {**_rate_headers(), **headers}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, authorized: bool
    ) -> tuple[int, dict[str, str], Any]:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and fault.path.search(path):
                fault.times -= 1
                return fault.status, fault.headers, fault.body
        installation = re.fullmatch(r"/app/installations/(\d+)/access_tokens", path)
        if method == "POST" and installation and self._app_jwt_ok():
            return 201, {}, {
                "token": self.token, "expires_at": "2030-01-01T00:00:00Z",
                "permissions": {"contents": "write", "pull_requests": "write"},
                "repository_selection": "selected",
            }  # fmt: skip
        if not authorized:
            return 401, {}, {"message": "Bad credentials", "documentation_url": DOCS}
        for route_method, pattern, action in self._routes():
            match = re.fullmatch(pattern, unquote(path))
            if route_method == method and match:
                answer: Answer = action(*match.groups(), query=query, body=body)
                return answer
        return _not_found()

    def _app_jwt_ok(self) -> bool:
        """A JWT signed with the app's key (RS256), as the app endpoints require."""
        if self.app_public_key is None or self._bearer is None:
            return False
        try:
            claims = jwt.decode(self._bearer, self.app_public_key, algorithms=["RS256"])
        except jwt.PyJWTError:
            return False
        self.app_jwt_issuers.append(str(claims["iss"]))
        return True

    def _routes(self) -> list[tuple[str, str, Callable[..., Answer]]]:
        repo = r"/repos/([^/]+)/([^/]+)"
        return [
            ("GET", r"/users/([^/]+)", self._get_user),
            ("GET", r"/orgs/([^/]+)/repos", self._list_org_repos),
            ("GET", r"/users/([^/]+)/repos", self._list_user_repos),
            ("GET", repo + r"/pulls/(\d+)", self._get_pull),
            ("GET", repo + r"/pulls/(\d+)/reviews", self._list_reviews),
            ("GET", repo + r"/commits/([^/]+)/status", self._combined_status),
            ("GET", repo + r"/commits/([^/]+)/check-runs", self._check_runs),
            ("GET", repo + r"/git/ref/heads/(.+)", self._get_ref),
            ("GET", repo, self._get_repo),
            ("POST", repo + r"/forks", self._create_fork),
            ("POST", repo + r"/merge-upstream", self._merge_upstream),
            ("GET", repo + r"/pulls", self._list_pulls),
            ("POST", repo + r"/pulls", self._create_pull),
            ("PATCH", repo + r"/pulls/(\d+)", self._update_pull),
            ("POST", repo + r"/pulls/(\d+)/requested_reviewers", self._request_reviewers),
            ("POST", repo + r"/issues/(\d+)/labels", self._add_labels),
            ("DELETE", repo + r"/git/refs/heads/(.+)", self._delete_ref),
        ]

    # --- endpoints ----------------------------------------------------------------------
    def _get_user(self, login: str, **_: Any) -> tuple[int, dict[str, str], Any]:
        if login not in self.accounts:
            return _not_found()
        return 200, {}, _account(login, self.accounts[login])

    def _get_repo(self, owner: str, name: str, **_: Any) -> tuple[int, dict[str, str], Any]:
        repo = self.repos.get(f"{owner}/{name}")
        if repo is None:
            return _not_found()
        return 200, {}, self._repo_json(repo)

    def _create_fork(
        self, owner: str, name: str, *, body: Any, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        upstream = self.repos.get(f"{owner}/{name}")
        if upstream is None:
            return _not_found()
        fork_owner = (body or {}).get("organization") or self.user
        existing = self.repos.get(f"{fork_owner}/{name}")
        if existing is None:
            bare = self.root / "remotes" / fork_owner / f"{name}.git"
            bare.parent.mkdir(parents=True, exist_ok=True)
            git(self.root, "clone", "-q", "--bare", str(upstream.bare), str(bare))
            existing = FakeRepo(fork_owner, name, bare, fork_of=upstream.full_name)
            self.repos[existing.full_name] = existing
        return 202, {}, self._repo_json(existing)

    def _merge_upstream(
        self, owner: str, name: str, *, body: Any, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        fork = self.repos.get(f"{owner}/{name}")
        if fork is None or fork.fork_of is None:
            return _not_found()
        branch = body["branch"]
        upstream = self.repos[fork.fork_of]
        done = subprocess.run(
            ["git", "-C", str(fork.bare), "fetch", "-q", str(upstream.bare),
             f"refs/heads/{branch}:refs/heads/{branch}"],
            capture_output=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            return 409, {}, {"message": "There are merge conflicts", "documentation_url": DOCS}
        return 200, {}, {
            "message": "Successfully fetched and fast-forwarded from upstream "
            f"{upstream.owner}:{branch}.",
            "merge_type": "fast-forward",
            "base_branch": f"{upstream.owner}:{branch}",
        }  # fmt: skip

    def _list_pulls(
        self, owner: str, name: str, *, query: dict[str, list[str]], **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        full = f"{owner}/{name}"
        state = query.get("state", ["open"])[0]
        head = query.get("head", [None])[0]
        found = [
            p for p in self.pulls
            if p.repo == full
            and (state == "all" or p.state == state)
            and (head is None or f"{p.head_owner}:{p.head_ref}" == head)
        ]  # fmt: skip
        return 200, {}, [self._pull_json(p) for p in sorted(found, key=lambda p: -p.number)]

    def _create_pull(
        self, owner: str, name: str, *, body: Any, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        full = f"{owner}/{name}"
        head_owner, _, head_ref = body["head"].rpartition(":")
        head_owner = head_owner or owner
        head_repo = self.repos.get(f"{head_owner}/{name}")
        if head_repo is None or head_repo.branch_sha(head_ref) is None:
            return _invalid({"resource": "PullRequest", "field": "head", "code": "invalid"})
        for pull in self.pulls:
            same = (pull.repo, pull.head_owner, pull.head_ref) == (full, head_owner, head_ref)
            if same and pull.state == "open":
                return _invalid(
                    {"resource": "PullRequest", "code": "custom",
                     "message": f"A pull request already exists for {head_owner}:{head_ref}."}
                )  # fmt: skip
        pull = FakePull(
            number=len(self.pulls) + 1, repo=full, head_owner=head_owner, head_ref=head_ref,
            base=body["base"], title=body["title"], body=body.get("body", ""),
            draft=bool(body.get("draft")),
        )  # fmt: skip
        self.pulls.append(pull)
        return 201, {}, self._pull_json(pull)

    def _update_pull(
        self, owner: str, name: str, number: str, *, body: Any, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        pull = self._pull(owner, name, number)
        if pull is None:
            return _not_found()
        if body.get("state") == "open" and pull.state == "closed":
            head = self.repos[f"{pull.head_owner}/{name}"]
            if pull.merged or head.branch_sha(pull.head_ref) is None:
                return _invalid(
                    {"resource": "PullRequest", "code": "custom",
                     "message": f"state cannot be changed. The {pull.head_ref} branch "
                     "has been deleted."}
                )  # fmt: skip
        pull.title = body.get("title", pull.title)
        pull.body = body.get("body", pull.body)
        pull.state = body.get("state", pull.state)
        return 200, {}, self._pull_json(pull)

    def _request_reviewers(
        self, owner: str, name: str, number: str, *, body: Any, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        pull = self._pull(owner, name, number)
        if pull is None:
            return _not_found()
        if set(body.get("reviewers", [])) & self.non_collaborators:
            return 422, {}, {
                "message": "Reviews may only be requested from collaborators. One or more of "
                "the users or teams you specified is not a collaborator of the "
                f"{owner}/{name} repository.",
                "documentation_url": DOCS,
            }  # fmt: skip
        pull.reviewers += body.get("reviewers", [])
        pull.teams += body.get("team_reviewers", [])
        return 201, {}, self._pull_json(pull)

    def _add_labels(
        self, owner: str, name: str, number: str, *, body: Any, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        pull = self._pull(owner, name, number)
        if pull is None:
            return _not_found()
        names = body["labels"] if isinstance(body, dict) else body
        pull.labels += [n for n in names if n not in pull.labels]
        return 200, {}, [_label(n) for n in pull.labels]

    def _delete_ref(
        self, owner: str, name: str, branch: str, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        repo = self.repos.get(f"{owner}/{name}")
        if repo is None:
            return _not_found()
        if repo.branch_sha(branch) is None:
            return 422, {}, {"message": "Reference does not exist", "documentation_url": DOCS}
        git(repo.bare, "update-ref", "-d", f"refs/heads/{branch}")
        return 204, {}, None

    def _list_org_repos(
        self, org: str, *, query: dict[str, list[str]], **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        if self.accounts.get(org) != "Organization":
            return _not_found()
        return self._page(self._owned(org), f"/orgs/{org}/repos", query)

    def _list_user_repos(
        self, user: str, *, query: dict[str, list[str]], **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        if user not in self.accounts:
            return _not_found()
        return self._page(self._owned(user), f"/users/{user}/repos", query)

    def _owned(self, owner: str) -> list[dict[str, Any]]:
        repos = sorted((r for r in self.repos.values() if r.owner == owner), key=lambda r: r.name)
        return [self._repo_json(r) for r in repos]

    def _page(
        self, items: list[Any], path: str, query: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], Any]:
        """One page of ``items`` with GitHub's ``Link`` header (first/prev/next/last)."""
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(items) // per_page))
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last),
                            ("first", 1)):  # fmt: skip
            if 1 <= number <= last and (rel not in ("last", "first") or last > 1):
                params = {k: v[0] for k, v in query.items()} | {"page": str(number)}
                link = f"{self._url}{path}?" + "&".join(f"{k}={v}" for k, v in params.items())
                links.append(f'<{link}>; rel="{rel}"')
        headers = {"Link": ", ".join(links)} if links else {}
        return 200, headers, items[(page - 1) * per_page : page * per_page]

    def _get_pull(
        self, owner: str, name: str, number: str, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        pull = self._pull(owner, name, number)
        if pull is None:
            return _not_found()
        return 200, {}, self._pull_json(pull) | {"merged": pull.merged}

    def _list_reviews(
        self, owner: str, name: str, number: str, *, query: dict[str, list[str]], **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        pull = self._pull(owner, name, number)
        if pull is None:
            return _not_found()
        reviews = [
            {"id": 80 + i, "node_id": "PRR_kwDOA", "user": _account(login, "User"),
             "body": "", "state": state, "commit_id": "0" * 40,
             "submitted_at": f"2026-01-0{1 + i % 9}T00:00:00Z",
             "html_url": f"https://github.com/{owner}/{name}/pull/{number}#review-{80 + i}"}
            for i, (login, state) in enumerate(pull.reviews)
        ]  # fmt: skip
        return self._page(reviews, f"/repos/{owner}/{name}/pulls/{number}/reviews", query)

    def _combined_status(
        self, owner: str, name: str, sha: str, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        latest = dict(self.statuses.get((f"{owner}/{name}", sha), []))
        states = set(latest.values())
        state = "success"
        if states & {"failure", "error"}:
            state = "failure"
        elif not states or "pending" in states:
            state = "pending"
        return 200, {}, {
            "state": state, "sha": sha, "total_count": len(latest),
            "statuses": [{"context": c, "state": s, "description": None, "target_url": None}
                         for c, s in latest.items()],
            "repository": {"full_name": f"{owner}/{name}"},
        }  # fmt: skip

    def _check_runs(
        self, owner: str, name: str, sha: str, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        runs = [
            {"id": 500 + i, "name": check, "head_sha": sha, "status": status,
             "conclusion": conclusion, "app": {"slug": "github-actions"}}
            for i, (check, status, conclusion) in enumerate(
                self.check_runs.get((f"{owner}/{name}", sha), [])
            )
        ]  # fmt: skip
        return 200, {}, {"total_count": len(runs), "check_runs": runs}

    def _get_ref(
        self, owner: str, name: str, branch: str, **_: Any
    ) -> tuple[int, dict[str, str], Any]:
        repo = self.repos.get(f"{owner}/{name}")
        sha = repo.branch_sha(branch) if repo is not None else None
        if sha is None:
            return _not_found()
        return 200, {}, {
            "ref": f"refs/heads/{branch}", "node_id": "REF_kwDOA",
            "url": f"https://api.github.com/repos/{owner}/{name}/git/refs/heads/{branch}",
            "object": {"sha": sha, "type": "commit",
                       "url": f"https://api.github.com/repos/{owner}/{name}/git/commits/{sha}"},
        }  # fmt: skip

    # --- payloads -----------------------------------------------------------------------
    def _pull(self, owner: str, name: str, number: str) -> FakePull | None:
        full = f"{owner}/{name}"
        return next((p for p in self.pulls if p.repo == full and p.number == int(number)), None)

    def _repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": abs(hash(repo.full_name)) % 10**8, "node_id": "R_kgDOA", "name": repo.name,
            "full_name": repo.full_name, "private": False,
            "owner": _account(repo.owner, self.accounts.get(repo.owner, "User")),
            "html_url": f"https://github.com/{repo.full_name}", "description": None,
            "fork": repo.fork or repo.fork_of is not None, "size": repo.size,
            "pushed_at": repo.pushed_at,
            "url": f"https://api.github.com/repos/{repo.full_name}",
            "clone_url": repo.bare.as_uri(), "ssh_url": f"git@github.com:{repo.full_name}.git",
            "default_branch": repo.default_branch, "visibility": "public",
            "archived": repo.archived,
            "permissions": {"admin": False, "maintain": False, "push": repo.can_push,
                            "triage": repo.can_push, "pull": True},
        }  # fmt: skip
        if repo.fork_of is not None:
            data["parent"] = data["source"] = self._repo_json(self.repos[repo.fork_of])
        return data

    def _pull_json(self, pull: FakePull) -> dict[str, Any]:
        head_repo = self.repos[f"{pull.head_owner}/{pull.repo.split('/')[1]}"]
        base_repo = self.repos[pull.repo]
        return {
            "url": f"https://api.github.com/repos/{pull.repo}/pulls/{pull.number}",
            "id": 1000 + pull.number, "node_id": "PR_kwDOA",
            "html_url": f"https://github.com/{pull.repo}/pull/{pull.number}",
            "number": pull.number, "state": pull.state, "locked": False, "title": pull.title,
            "user": _account(self.user, "User"), "body": pull.body,
            "labels": [_label(n) for n in pull.labels], "draft": pull.draft,
            "merged_at": "2026-01-02T03:04:05Z" if pull.merged else None,
            "closed_at": None if pull.state == "open" else "2026-01-02T03:04:05Z",
            "requested_reviewers": [_account(r, "User") for r in pull.reviewers],
            "requested_teams": [{"id": 1, "slug": t, "name": t} for t in pull.teams],
            "head": {"label": f"{pull.head_owner}:{pull.head_ref}", "ref": pull.head_ref,
                     "sha": head_repo.branch_sha(pull.head_ref) or "0" * 40,
                     "user": _account(pull.head_owner, "User"),
                     "repo": {"name": head_repo.name, "full_name": head_repo.full_name,
                              "owner": _account(head_repo.owner, "User")}},
            "base": {"label": f"{base_repo.owner}:{pull.base}", "ref": pull.base,
                     "sha": base_repo.branch_sha(pull.base) or "0" * 40,
                     "user": _account(base_repo.owner, "Organization"), "repo": None},
        }  # fmt: skip


def _account(login: str, kind: str) -> dict[str, Any]:
    return {"login": login, "id": abs(hash(login)) % 10**6, "node_id": "U_kgDOA",
            "type": kind, "site_admin": False,
            "html_url": f"https://github.com/{login}"}  # fmt: skip


def _label(name: str) -> dict[str, Any]:
    return {"id": abs(hash(name)) % 10**6, "node_id": "LA_kwDOA", "name": name,
            "color": "ededed", "default": False, "description": None}  # fmt: skip


def _rate_headers() -> dict[str, str]:
    return {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999",
            "x-ratelimit-reset": "1893456000", "x-ratelimit-used": "1",
            "x-ratelimit-resource": "core"}  # fmt: skip


def _not_found() -> tuple[int, dict[str, str], Any]:
    return 404, {}, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}


def _invalid(error: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    return 422, {}, {"message": "Validation Failed", "errors": [error], "documentation_url": DOCS,
                     "status": "422"}  # fmt: skip
