"""bench/real_kulti.py without a real checkout: the CI path and bad arguments (fast, no npm, no sandbox)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "real_kulti.py"


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=30)


def test_no_checkout_says_so_in_one_line_and_claims_nothing():
    result = run_script()
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "no CHECKOUT given" in lines[0] and "nothing was built or measured" in lines[0]
    assert result.stderr == ""


@pytest.mark.parametrize("make, reason", [
    (lambda tmp: tmp / "missing", "no such directory"),
    (lambda tmp: tmp, "no readable package.json, not a Next.js app"),
    (lambda tmp: (tmp / "package.json").write_text(json.dumps({"dependencies": {"react": "18"}})) and tmp,
     "package.json does not depend on next, not a Next.js app"),
])
def test_a_bad_checkout_is_one_line_naming_the_argument_exit_2(tmp_path, make, reason):
    checkout = make(tmp_path)
    result = run_script(str(checkout))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"real_kulti: error: CHECKOUT {str(checkout)!r}: {reason}"]
    assert "Traceback" not in result.stdout + result.stderr
