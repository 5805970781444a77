"""Which GitHub repository: ``owner/name`` or ``https://<host>/owner/name(.git)``, parsed once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from agent.errors import InputError

#: GitHub's rules: owners are alphanumeric with single hyphens; names add ``.`` and ``_``.
_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?")


@dataclass(frozen=True, slots=True)
class RepoRef:
    """A repository on a GitHub host.

    Attributes:
        host: the web host (``github.com`` or a GitHub Enterprise host, maybe with a port).
        owner: the user or organization.
        name: the repository name, without ``.git``.
    """

    host: str
    owner: str
    name: str

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    def __str__(self) -> str:
        return f"{self.host}/{self.full_name}"


def web_host(api_base_url: str) -> str:
    """The web host of an API root: ``api.github.com`` -> ``github.com``; GHE keeps its host."""
    netloc = urlsplit(api_base_url).netloc.lower()
    return "github.com" if netloc == "api.github.com" else netloc


def looks_like_repo_ref(text: str) -> bool:
    """Whether a target the user wrote names a remote repository rather than a folder.

    A URL (any scheme), an scp-style ``git@host:...`` address, or one ``owner/name`` slash
    that does not start like a path. :func:`parse_repo_ref` then says whether GitHub can serve it.
    """
    if "://" in text or text.startswith("git@"):
        return True
    return text.count("/") == 1 and not text.startswith((".", "/", "~"))


def parse_repo_ref(text: str, default_host: str = "github.com") -> RepoRef:
    """Parse ``owner/name`` or ``https://<host>/owner/name(.git)``.

    Args:
        text: what the user wrote.
        default_host: the host of the short form (see :func:`web_host`).

    Raises:
        InputError: anything else (one line, saying what is accepted).
    """
    value = text.strip()
    host = default_host
    path = value
    if "://" in value:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
            raise _bad(text)
        if "@" in parts.netloc:
            raise InputError(
                f"not a GitHub repository: {_shown(text)}: leave credentials out of the URL "
                "(decom reads GITHUB_TOKEN)"
            )
        host = parts.netloc.lower()
        path = parts.path.strip("/")
    pieces = path.split("/")
    if len(pieces) != 2 or not _HOST.fullmatch(host):
        raise _bad(text)
    owner, name = pieces[0], pieces[1].removesuffix(".git")
    if not _OWNER.fullmatch(owner) or "--" in owner or owner.endswith("-"):
        raise _bad(text)
    if not _NAME.fullmatch(name) or name in (".", ".."):
        raise _bad(text)
    return RepoRef(host, owner, name)


def _shown(text: str) -> str:
    """``text`` without any credentials it carries, for an error message."""
    return re.sub(r"(?<=://)[^/@]*@", "***@", text)


def _bad(text: str) -> InputError:
    return InputError(
        f"not a GitHub repository: {_shown(text)!r}: use owner/name or https://<host>/owner/name"
    )
