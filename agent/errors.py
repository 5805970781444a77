"""The one error hierarchy of decom.

Every failure decom reports to a user is a subclass of :class:`DecomError`; the CLI turns it
into a one-line message and a non-zero exit code instead of a traceback.
"""

from __future__ import annotations


class DecomError(Exception):
    """Base class of every error decom raises on purpose."""

    exit_code = 1


class InputError(DecomError):
    """The user gave decom something it cannot work with (bad name, missing path...)."""

    exit_code = 2


class ToolMissingError(DecomError):
    """An external program decom needs (git, rg) is not installed or not runnable."""

    exit_code = 3


class ScanError(DecomError):
    """Searching the repositories failed for a reason other than bad input."""


class GitError(DecomError):
    """A git command failed."""


class ForgeError(DecomError):
    """Opening or updating a pull request failed."""


class BranchConflictError(ForgeError):
    """The campaign branch carries commits decom did not make: decom will not overwrite it."""


class EditRefusedError(DecomError):
    """A model's tool call asked for something outside what it may touch (path, range, size).

    The refactor agent's tool loop turns it into a message the model reads; nothing changes.
    """


class CircuitOpenError(DecomError):
    """A remote service failed too many times in a row: decom stopped calling it for this run.

    Raised for every call after the circuit opened, so the caller can report which
    repositories were not processed instead of hammering a failing service.
    """
