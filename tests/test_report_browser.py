"""report.html in a real browser: Debian's Chromium, headless, with every network lookup failing.

Needs ``/usr/bin/chromium`` (``./dev setup-browser`` installs it). Without it the tests skip,
unless ``DECOM_REQUIRE_SERVICES=1`` (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_report import BILLING, DEDICATED, HOSTILE, Run, decommission

CHROMIUM = Path("/usr/bin/chromium")
MISSING = "chromium not installed: run ./dev setup-browser"
WINDOW = (1280, 2000)


@pytest.fixture(scope="module")
def chromium() -> Path:
    """The browser, or a skip (a failure when DECOM_REQUIRE_SERVICES=1)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("DECOM_REQUIRE_SERVICES") == "1":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return CHROMIUM


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return decommission(
        tmp_path_factory.mktemp("browser"),
        {
            "billing": BILLING,
            "hostile": HOSTILE,
            "site": {"index.html": "<h1>hi</h1>\n"},
            "broken": DEDICATED,
        },
        checked_out=("broken",),
    )


def browse(chromium: Path, profile: Path, page: Path, *args: str) -> bytes:
    """Run headless Chromium on ``page``; its stdout. No host name resolves."""
    command = [
        str(chromium),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--force-device-scale-factor=1",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


def test_the_rendered_page_shows_every_repository_and_the_counts(
    chromium: Path, run: Run, tmp_path: Path
) -> None:
    dom = browse(chromium, tmp_path / "profile", run.run_dir / "report.html", "--dump-dom")
    text = dom.decode("utf-8")
    for outcome in run.summary.repos:
        assert f">{outcome.repo}</a>" in text
    counts = run.summary.counts()
    assert {s: n for s, n in counts.items() if n} == {"changed": 2, "no_references": 1, "failed": 1}
    for status, n in {**counts, "repos": 4, "success-rate": "75%"}.items():
        assert re.search(rf'id="card-{status}"><span class="n">{n}</span>', text), status
    assert "database_reference_check" in text and "Failures by error" in text
    # The hostile file names stay text: no element was injected, the title is intact.
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;!--.env" in text
    assert "<title>decom run run1: payroll_ledger</title>" in text


def test_the_screenshot_is_a_drawn_page(chromium: Path, run: Run, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    browse(chromium, tmp_path / "profile", run.run_dir / "report.html", f"--screenshot={shot}")
    image = decode_png(shot.read_bytes())
    assert (image.width, image.height) == WINDOW
    pixels = image.width * image.height
    inked = sum(1 for pixel in image.pixels() if pixel != (255, 255, 255))
    assert inked > pixels // 10, f"only {inked} of {pixels} pixels are not white: a blank page"
    colours = _count(image, {(0x4E, 0x79, 0xA7), (0xDA, 0xFB, 0xE1), (0xFF, 0xEB, 0xE9)})
    assert colours[(0x4E, 0x79, 0xA7)] > 1000, "the time chart's discover bars are missing"
    assert colours[(0xDA, 0xFB, 0xE1)] > 200, "the green 'changed' badges are missing"
    assert colours[(0xFF, 0xEB, 0xE9)] > 200, "the red 'failed' badge is missing"


def _count(image: PngImage, wanted: set[tuple[int, int, int]]) -> dict[tuple[int, int, int], int]:
    counts = dict.fromkeys(wanted, 0)
    for pixel in image.pixels():
        if pixel in counts:
            counts[pixel] += 1
    return counts


@dataclass
class PngImage:
    """An 8-bit RGB or RGBA PNG, decoded (rows without their filter byte)."""

    width: int
    height: int
    channels: int
    rows: list[bytes]

    def pixels(self) -> Iterator[tuple[int, ...]]:
        """Every pixel's RGB, row by row."""
        step = self.channels
        for row in self.rows:
            for x in range(0, len(row), step):
                yield (row[x], row[x + 1], row[x + 2])


def decode_png(data: bytes) -> PngImage:
    """Decode a non-interlaced 8-bit RGB/RGBA PNG with the standard library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, header, idat = 8, b"", []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = raw[start + 1 : start + 1 + stride]
        previous = _unfilter(kind, line, previous, channels)
        rows.append(previous)
    return PngImage(width, height, channels, rows)


def _unfilter(kind: int, line: bytes, above: bytes, bpp: int) -> bytes:
    if kind == 0:
        return line
    if kind == 2:
        return bytes((a + b) & 0xFF for a, b in zip(line, above, strict=True))
    out = bytearray(line)
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + left) & 0xFF
        elif kind == 3:
            out[i] = (out[i] + ((left + above[i]) >> 1)) & 0xFF
        elif kind == 4:
            corner = above[i - bpp] if i >= bpp else 0
            estimate = left + above[i] - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - above[i]), abs(estimate - corner)
            predictor = left if pa <= pb and pa <= pc else above[i] if pb <= pc else corner
            out[i] = (out[i] + predictor) & 0xFF
        else:
            raise AssertionError(f"unknown PNG filter {kind}")
    return bytes(out)
