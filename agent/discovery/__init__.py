"""Discovery: find every reference to a database across repositories."""

from agent.discovery.engine import Repository, ScanOptions, find_references
from agent.discovery.models import Reference, ReferenceKind, ScanResult, SkippedFile, SourceType

__all__ = [
    "Reference",
    "ReferenceKind",
    "Repository",
    "ScanOptions",
    "ScanResult",
    "SkippedFile",
    "SourceType",
    "find_references",
]
