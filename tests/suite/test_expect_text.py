"""A text expectation that fails reports what the element says, and stays the finding it is even when
the element cannot be read again afterwards (CI: a busy machine's 500 ms read turned a wrong button
label, a P3 finding, into a broken step, P1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from fixtures.expect import ExpectationFailed, expect_text
from fixtures.severity import COSMETIC


class Unreadable:
    """A locator whose text never matches and cannot be read again after the wait."""

    first = property(lambda self: self)

    def count(self) -> int:
        return 1

    def text_content(self, timeout: float) -> str:
        raise PlaywrightError("Locator.text_content: Timeout 1000ms exceeded.")


def never_matching(monkeypatch, message: str) -> None:
    """Playwright's expect, as it fails after its wait: the message names the text it last read."""
    class Expect:
        def __init__(self, locator):
            pass

        def to_contain_text(self, text, timeout):
            raise AssertionError(message)

    monkeypatch.setattr("fixtures.expect.pw_expect", Expect)


def test_an_unreadable_element_still_gives_the_expectation_with_what_playwright_last_read(monkeypatch):
    never_matching(monkeypatch, "Locator expected to contain text 'Stop Sharing'\nActual value: Share Screen")
    with pytest.raises(ExpectationFailed) as raised:
        expect_text(Unreadable(), "Stop Sharing", 'Share button changes to "Stop Sharing"')
    assert raised.value.expected == 'Share button changes to "Stop Sharing"'
    assert raised.value.measured == "Actual value: Share Screen"


def test_a_cosmetic_text_finding_is_noted_not_raised_when_unreadable(monkeypatch):
    never_matching(monkeypatch, "Actual value: Share Screen")
    noted = []

    class Record:
        def note(self, expected, measured, impact):
            noted.append((expected, measured, impact))

    monkeypatch.setattr("fixtures.evidence.current_or_none", lambda: Record())
    expect_text(Unreadable(), "Stop Sharing", "label", impact=COSMETIC)
    assert noted == [("label", "Actual value: Share Screen", COSMETIC)]
