"""Numbers the Twilio emulation delivers to (+1 NPA 555 01XX: emulations/twilio_recipients.py),
handed out so that no two tests sharing a sandbox text the same one: each module draws from
its own block of area codes, and within it every number once."""

from __future__ import annotations

import itertools
from typing import Iterator


def handsets(first_area_code: int) -> Iterator[str]:
    """Distinct deliverable numbers, 100 an area code, from `first_area_code` up."""
    for n in itertools.count():
        yield f"+1{first_area_code + n // 100}55501{n % 100:02d}"
