"""Headless Chromium for the tests whose product is a page: find it, load a page, take a screenshot,
and read what it logged. One place for the flags, so every browser test runs the same browser.

In CI a missing Chromium fails the test (the browser tests must run there); elsewhere it skips.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest


def required_tool(name: str, package: str) -> str:
    """The path of a command the test needs: skipped without it, failed without it in CI."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed, and CI is set: install {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


@dataclass(frozen=True)
class Browser:
    """Headless Chromium with a profile folder of its own (`profile`, created by Chromium)."""

    executable: str
    profile: Path

    def args(self, *extra: str) -> list[str]:
        return [self.executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={self.profile}",
                "--enable-logging=stderr", "--v=0", *extra]

    def dom(self, page: Path, *extra: str) -> subprocess.CompletedProcess:
        """The page's DOM after its scripts ran (`stdout`), and Chromium's log (`stderr`)."""
        run = subprocess.run(self.args(*extra, "--dump-dom", page.as_uri()), capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        return run

    def screenshot(self, page: Path, shot: Path, size: str = "1000,1400") -> subprocess.CompletedProcess:
        """A PNG of the page at the window size `size` ("width,height")."""
        run = subprocess.run(self.args(f"--screenshot={shot}", f"--window-size={size}", page.as_uri()),
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
        return run


def chromium(profile: Path) -> Browser:
    """The machine's Chromium (skips or fails as `required_tool` does)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        found = required_tool("chromium", "chromium")
    return Browser(found, profile)


def console_errors(*runs: subprocess.CompletedProcess) -> list[str]:
    """Lines where the page's scripts failed or logged an error."""
    return [line for run in runs for line in run.stderr.splitlines() if "Uncaught" in line or "ERROR:CONSOLE" in line]


def decode_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows): an 8-bit RGB(A) PNG decoded with zlib and struct."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), header
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):  # undo the per-row filters (PNG spec, section 9)
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def pixels(path: Path) -> list[tuple[int, int, int]]:
    width, _, bpp, rows = decode_png(path)
    return [tuple(row[x * bpp:x * bpp + 3]) for row in rows for x in range(width)]


def distinct_bytes(path: Path) -> int:
    """How varied a PNG's compressed image data is, decoded (an empty page has a handful of distinct bytes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))
