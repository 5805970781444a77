r"""Decode repository files faithfully, so rewrites can write back exactly what was there.

A file is bytes; decom works on text. :class:`TextFile` remembers the encoding and BOM it was
read with so that :meth:`TextFile.encode` gives back the original bytes for unchanged text.
Lines are split on ``\\n`` only (like git and grep count them), so a CRLF file keeps its
``\\r`` at the end of each line and line numbers stay right.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: How many leading bytes are inspected to decide that a file is binary.
SNIFF_BYTES = 8192


class BinaryFileError(ValueError):
    """The bytes are not text decom should read or edit."""


@dataclass(frozen=True, slots=True)
class TextFile:
    """Decoded file content plus what is needed to encode it back byte for byte."""

    text: str
    encoding: str
    bom: bytes

    @property
    def lines(self) -> list[str]:
        r"""The lines, split on ``\\n`` only; a trailing newline gives a last empty string."""
        return self.text.split("\n")

    def encode(self, text: str | None = None) -> bytes:
        """Encode ``text`` (default: the original) with the original encoding and BOM."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)


def read_file(root: str, path: str) -> TextFile:
    """Read and decode ``path`` (relative, POSIX) under the folder ``root``.

    Plain ``open`` on a joined string: building a :class:`pathlib.Path` per read costs as
    much as reading a small file.

    Raises:
        OSError: the file cannot be read.
        BinaryFileError: see :func:`decode`.
    """
    with open(f"{root}/{path}", "rb") as handle:
        return decode(handle.read())


def decode(data: bytes) -> TextFile:
    """Decode file bytes: BOM first, then UTF-8, then Latin-1.

    Raises:
        BinaryFileError: the content has NUL bytes (and no UTF-16/32 BOM explaining them).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return TextFile(data[len(bom) :].decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                raise BinaryFileError(f"not valid {encoding} after its BOM") from exc
    if b"\x00" in data[:SNIFF_BYTES]:
        raise BinaryFileError("binary content (NUL bytes)")
    try:
        return TextFile(data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError:
        return TextFile(data.decode("latin-1"), "latin-1", b"")
