from __future__ import annotations

import codecs

import pytest

from agent.formats.textfile import BinaryFileError, decode


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (b"db = 'ledger'\n", "utf-8", b""),
        (codecs.BOM_UTF8 + b"db\n", "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + "db\r\nx\r\n".encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + "db\n".encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        ("-- café\n".encode("latin-1"), "latin-1", b""),
    ],
)
def test_decode_round_trips_bytes(data: bytes, encoding: str, bom: bytes) -> None:
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.bom == bom
    assert decoded.encode() == data


def test_crlf_lines_keep_their_carriage_returns() -> None:
    decoded = decode(b"a\r\nb\r\n")
    assert decoded.lines == ["a\r", "b\r", ""]


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(BinaryFileError):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00")


def test_yaml_check_accepts_application_tags_but_not_broken_structure() -> None:
    from agent.discovery.models import SourceType
    from agent.qa.parsing import check_parses

    template = "Resources:\n  Db:\n    Properties:\n      Host: !GetAtt Cluster.Endpoint.Address\n"
    assert check_parses(SourceType.YAML_CONFIG, template) is None
    assert check_parses(SourceType.YAML_CONFIG, "Host: !Ref [a, b\n") is not None
