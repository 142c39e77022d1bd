"""--smoke-evidence: `steps` (the default) shows every page at the end of every step and keeps a
Playwright trace of a failed test; `failures` shows the pages only where a step failed, with no
trace. Read from the Allure results of a login whose dashboard never shows its welcome."""

from __future__ import annotations

import json

import pytest

from tests.suite.suite_run import run_against, run_suite

pytestmark = pytest.mark.browser

SCREENSHOT = "image/jpg"  # allure-pytest's type for attachment_type.JPG


def steps_of(node: dict) -> list[dict]:
    return [s for step in node.get("steps") or [] for s in (step, *steps_of(step))]


def read(run, kind: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in (run.reports / "allure-results").glob(f"*-{kind}.json")]


def login_result(run) -> dict:
    [login] = [r for r in read(run, "result") if r["name"].startswith("T3 ")]
    return login


def shown(step: dict) -> bool:
    return any(a["type"] == SCREENSHOT for a in step.get("attachments") or [])


def traced(run, result: dict) -> bool:
    """A trace attached by a fixture's teardown: in the "afters" of a container of the result."""
    return any(a["name"].startswith("Playwright trace")
               for c in read(run, "container") if result["uuid"] in c.get("children", [])
               for after in c.get("afters") or [] for a in after.get("attachments") or [])


@pytest.mark.parametrize("evidence", ["steps", "failures"])
def test_evidence_is_shown_as_the_option_says(start_sandbox, evidence):
    sandbox = start_sandbox("--fault", "hide_element=dashboard-welcome")
    run = run_against(sandbox, "-m", "critical", "-k", "user_login", "-n", "0", "--smoke-no-html",
                      "--smoke-evidence", evidence, alone=False)
    assert run.verdict["results"]["T3"] == "failed", run.output[-3000:]
    login = login_result(run)
    passed = [s for s in steps_of(login) if s["status"] == "passed"]
    failed = [s for s in steps_of(login) if s["status"] in ("failed", "broken")]
    assert passed and failed, [(s["name"], s["status"]) for s in steps_of(login)]
    assert all(shown(s) for s in failed)
    if evidence == "steps":
        assert all(shown(s) for s in passed) and traced(run, login)
    else:
        assert not any(shown(s) for s in passed) and not traced(run, login)


def test_an_unknown_evidence_choice_is_a_usage_error():
    run = run_suite("-m", "critical", "--smoke-evidence", "none", alone=False)
    assert run.exit_code == 4 and "--smoke-evidence: invalid choice: 'none'" in run.output, run.output[-2000:]
