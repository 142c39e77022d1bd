"""The suite's Chromium runs its threads at a user's browser's priorities, also when started by root: root's
Chromium puts its audio threads on real-time scheduling, which starved every other room of a small machine
(fixtures/browsers.py AS_A_USER)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from fixtures.browsers import MEDIA_ARGS, chromium_path, launch_as_a_user

pytestmark = pytest.mark.browser

PLAY_A_TONE = """async () => {
  const ctx = new AudioContext();
  const tone = new OscillatorNode(ctx);
  tone.connect(ctx.destination);
  tone.start();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return ctx.state;
}"""


def _descendants(root_pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root_pid]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo += children.get(pid, [])
    return found


def _raised_threads(marker: str) -> list[str]:
    """Threads of the Chromium started with `marker` on real-time scheduling or a negative nice value."""
    browsers = [int(e.name) for e in Path("/proc").iterdir()
                if e.name.isdigit() and marker.encode() in _read(e / "cmdline")]
    raised = []
    for pid in set().union(*(_descendants(b) for b in browsers)):
        for task in Path(f"/proc/{pid}/task").glob("*"):
            stat = _read(task / "stat").decode()
            if not stat:
                continue
            name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
            nice, policy = int(fields[16]), int(fields[38])  # /proc/[pid]/stat fields 19 and 41
            if policy in (1, 2) or nice < 0:  # SCHED_FIFO, SCHED_RR
                raised.append(f"{name} policy={policy} nice={nice}")
    return raised


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _raised_while_playing(browser_type, launch: dict) -> list[str]:
    marker = f"--smoke-priority-probe={uuid.uuid4()}"  # an unknown switch Chromium ignores, to find it by
    browser = browser_type.launch(**launch, args=[*MEDIA_ARGS, "--no-sandbox", marker])
    try:
        page = browser.new_page()
        assert page.evaluate(PLAY_A_TONE) == "running"
        return _raised_threads(marker)
    finally:
        browser.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="only a Chromium started by root can raise its own threads")
def test_the_suites_chromium_keeps_a_users_thread_priorities_when_root_starts_it(browser_type):
    executable = chromium_path(browser_type.executable_path)
    as_root = _raised_while_playing(browser_type, {"executable_path": executable})
    if not as_root:
        pytest.skip("this machine's root cannot raise threads (no CAP_SYS_NICE): nothing to keep from it")
    assert any("AudioOutputDevi" in thread for thread in as_root), as_root
    assert _raised_while_playing(browser_type, launch_as_a_user(executable)) == []
