"""A run forked from the warm starter is `python -m pytest` as a new interpreter runs it
(tests/suite/warm_start.py): arguments, working directory, environment, exit status, output, rewritten
asserts, and nothing left over from the run before."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.suite.warm_start import WarmStarter

PROBE = '''
import json, os, sys

def test_where_it_runs():
    seen = {"cwd": os.getcwd(), "env": dict(os.environ), "path0": sys.path[0],
            "left_over": "warm_start_left_over" in sys.modules}
    with open("seen.json", "w") as f:
        json.dump(seen, f)
    import warm_start_left_over  # noqa: F401 - the next run must not find it imported

def test_asserts_are_rewritten():
    left, right = 1, 2
    assert left == right
'''


@pytest.fixture(scope="module")
def starter():
    started = WarmStarter()
    yield started
    started.stop()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "test_probe.py").write_text(PROBE)
    (tmp_path / "warm_start_left_over.py").write_text("")
    return tmp_path


def run(starter: WarmStarter, project, *args: str, env: dict[str, str] | None = None, timeout: float = 60):
    output = project / "output.txt"
    env = env if env is not None else {"PATH": "/usr/bin:/bin", "ONLY_IN_THIS_RUN": "yes"}
    code = starter.run(["-p", "no:cacheprovider", "-n", "0", *args], project, env, output, timeout)
    return code, output.read_text()


def test_a_run_is_pytest_in_the_working_directory_with_exactly_its_environment(starter, project):
    code, output = run(starter, project, "test_probe.py")
    seen = json.loads((project / "seen.json").read_text())
    assert code == 1 and "1 failed, 1 passed" in output, output
    assert seen["cwd"] == str(project) and seen["path0"] == str(project)
    own = {k: v for k, v in seen["env"].items() if not k.startswith("PYTEST_")}  # what pytest sets for a test
    assert own == {"PATH": "/usr/bin:/bin", "ONLY_IN_THIS_RUN": "yes"}
    assert not seen["left_over"]


def test_asserts_are_rewritten_and_no_preloaded_plugin_is_warned_about(starter, project):
    code, output = run(starter, project, "test_probe.py::test_asserts_are_rewritten")
    assert code == 1 and "assert 1 == 2" in output, output
    assert "PytestAssertRewriteWarning" not in output, output


def test_nothing_of_one_run_reaches_the_next(starter, project):
    for _ in range(2):  # the first run imports a module; the second must start without it
        run(starter, project, "test_probe.py::test_where_it_runs")
        assert not json.loads((project / "seen.json").read_text())["left_over"]


def test_the_exit_status_and_output_are_pytests(starter, project):
    code, output = run(starter, project, "--no-such-option")
    cold = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "--no-such-option"],
                          cwd=project, capture_output=True, text=True)
    assert code == cold.returncode == 4
    assert "unrecognized arguments: --no-such-option" in output


def test_a_run_out_of_time_is_stopped_as_subprocess_run_stops_it(starter, project):
    (project / "test_slow.py").write_text("import time\n\ndef test_slow():\n    time.sleep(60)\n")
    with pytest.raises(subprocess.TimeoutExpired):
        run(starter, project, "test_slow.py", timeout=3)
    code, output = run(starter, project, "test_probe.py::test_where_it_runs")  # the starter goes on
    assert code == 0, output
