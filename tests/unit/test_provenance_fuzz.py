"""Hostile uploads: inspect() must answer every input with a summary, fast, and never raise."""

import io
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from genlab.provenance import ProvenanceSummary, inspect, sign

VERDICTS = {"trusted", "valid_untrusted", "invalid", "none", "unreadable"}
FUZZ = settings(max_examples=60, deadline=None, derandomize=True)


def _signed_png(data_dir: Path) -> bytes:
    pixels = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG")
    return sign(buf.getvalue(), prompt="a red circle", model_name="toy-diffusion", model_version="0.3",
                data_dir=data_dir)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("provenance-fuzz")


@pytest.fixture(scope="module")
def signed(data_dir: Path) -> bytes:
    return _signed_png(data_dir)


def checked(data: bytes, data_dir: Path, **kwargs) -> ProvenanceSummary:
    """inspect() with the contract every hostile input must meet."""
    start = time.perf_counter()
    summary = inspect(data, data_dir=data_dir, **kwargs)
    assert time.perf_counter() - start < 1.0
    assert isinstance(summary, ProvenanceSummary)
    assert summary.verdict in VERDICTS
    assert summary.headline.endswith(".") and summary.verdict_text
    assert "unexpected" not in summary.headline, summary.detail  # every outcome handled on purpose
    return summary


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_signed_png_never_raises(edits: list[tuple[int, int]], signed: bytes, data_dir: Path) -> None:
    data = bytearray(signed)
    for offset, value in edits:
        data[offset % len(data)] = value
    checked(bytes(data), data_dir)


@FUZZ
@given(cut=st.integers(min_value=0))
def test_truncated_signed_png_never_raises(cut: int, signed: bytes, data_dir: Path) -> None:
    summary = checked(signed[:cut % len(signed)], data_dir)
    assert summary.verdict != "trusted"


@FUZZ
@given(prefix=st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"II*\x00",
                               b"RIFF\x00\x00\x00\x00WEBP", b"\x00\x00\x00\x18ftypavif"]),
       body=st.binary(max_size=4096))
def test_random_bytes_never_raise(prefix: bytes, body: bytes, data_dir: Path) -> None:
    summary = checked(prefix + body, data_dir)
    assert summary.verdict in ("none", "unreadable", "invalid")


def test_empty_input_is_refused(data_dir: Path) -> None:
    summary = checked(b"", data_dir)
    assert summary.verdict == "unreadable" and "empty" in summary.headline


def test_text_file_is_refused_with_a_sentence(data_dir: Path) -> None:
    summary = checked(b"# notes\nThis is a text file, not an image.\n" * 20, data_dir)
    assert summary.verdict == "unreadable"
    assert "not an image the viewer can read" in summary.headline and "Upload" in summary.headline


def test_file_over_the_size_limit_is_refused(signed: bytes, data_dir: Path) -> None:
    summary = checked(signed, data_dir, max_bytes=1024)
    assert summary.verdict == "unreadable" and "reads files up to 1.0 KB" in summary.headline


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 4096, 9))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8_000, 8_000)])
def test_decompression_bomb_is_refused_by_its_header(width: int, height: int, data_dir: Path) -> None:
    """A tiny file declaring billions of pixels (beyond Pillow's own limit), and 64 MP (beyond ours)."""
    bomb = _png_declaring(width, height)
    assert len(bomb) < 200
    summary = checked(bomb, data_dir)
    assert summary.verdict == "unreadable"
    assert "decompression bomb" in summary.headline and "Upload a smaller image" in summary.headline
