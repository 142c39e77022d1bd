"""How long a recorded WebM really is, read from its blocks' timestamps.

MediaRecorder writes a live WebM: the Segment and Clusters have "unknown" sizes and there
is no Duration element, so the length has to come from the media itself: each Cluster
has a Timecode and each (Simple)Block a signed 16-bit offset from it. The wall-clock time
between Start and Stop is not the answer: a busy encoder starts late and flushes late.
"""

from __future__ import annotations

import mmap
from pathlib import Path

SEGMENT, CLUSTER, INFO, BLOCK_GROUP = 0x18538067, 0x1F43B675, 0x1549A966, 0xA0
TIMECODE_SCALE, CLUSTER_TIMECODE, SIMPLE_BLOCK, BLOCK = 0x2AD7B1, 0xE7, 0xA3, 0xA1
MASTERS = {SEGMENT, CLUSTER, INFO, BLOCK_GROUP}  # descended into rather than skipped
EBML_HEADER = b"\x1a\x45\xdf\xa3"


def _vint(buf, pos: int, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, next position, all-ones 'unknown size') of an EBML variable-length integer."""
    first = buf[pos]
    length = 9 - first.bit_length() if first else 9
    if length > 8:
        raise ValueError("bad EBML integer")
    value = first if keep_marker else first & ((0x80 >> (length - 1)) - 1)
    unknown = value == (0x80 >> (length - 1)) - 1
    for b in buf[pos + 1:pos + length]:
        value = (value << 8) | b
        unknown = unknown and b == 0xFF
    return value, pos + length, unknown and not keep_marker


def _uint(buf, start: int, size: int) -> int:
    return int.from_bytes(buf[start:start + size], "big")


def webm_duration_s(buf) -> float:
    """Seconds from the first to the last block; 0.0 when there are none or it is not WebM."""
    if bytes(buf[:4]) != EBML_HEADER:
        return 0.0
    scale_ns, cluster_tc, first, last = 1_000_000, 0, None, None
    pos = 0
    try:
        while pos < len(buf):
            eid, pos, _ = _vint(buf, pos, keep_marker=True)
            size, pos, unknown = _vint(buf, pos, keep_marker=False)
            if eid in MASTERS:
                continue
            if unknown or pos + size > len(buf):
                break  # a cut-off tail: use what came before it
            if eid == TIMECODE_SCALE:
                scale_ns = _uint(buf, pos, size)
            elif eid == CLUSTER_TIMECODE:
                cluster_tc = _uint(buf, pos, size)
            elif eid in (SIMPLE_BLOCK, BLOCK):
                _, at, _ = _vint(buf, pos, keep_marker=False)  # track number
                t = cluster_tc + int.from_bytes(buf[at:at + 2], "big", signed=True)
                first = t if first is None else min(first, t)
                last = t if last is None else max(last, t)
            pos += size
    except (IndexError, ValueError):
        pass
    if first is None:
        return 0.0
    return (last - first) * scale_ns / 1e9


def file_duration_s(path: Path | str) -> float:
    with open(path, "rb") as f:
        if f.seek(0, 2) == 0:
            return 0.0
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return webm_duration_s(buf)
