"""fixtures.expect.one_wait(): checks of one state the page reached share one UI wait. A list that never
shows is waited for once; the checks after it read what the page shows then (T6 step 4: four findings
of one broken participant list took 40 s, one wait after another)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from fixtures import expect as expect_module
from fixtures.expect import ExpectationFailed, expect_visible, one_wait, set_ui_wait, wait_ms


class Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def waits(monkeypatch):
    """The timeouts the checks were given; each 'waits' its whole timeout on a fake clock."""
    clock, given = Clock(), []
    monkeypatch.setattr(expect_module.time, "monotonic", clock.monotonic)

    class NeverVisible:
        def __init__(self, locator):
            pass

        def to_be_visible(self, timeout: int):
            given.append(timeout)
            clock.now += timeout / 1000
            raise PlaywrightError("not visible")

    monkeypatch.setattr(expect_module, "pw_expect", NeverVisible)
    set_ui_wait(10)
    yield given
    set_ui_wait(10)


class Locator:
    first = property(lambda self: self)


def test_outside_a_block_each_check_waits_the_whole_ui_wait(waits):
    for _ in range(2):
        with pytest.raises(ExpectationFailed, match="not visible after 10 s"):
            expect_visible(Locator(), "Shown")
    assert waits == [10_000, 10_000]


def test_inside_a_block_the_checks_share_one_wait_and_say_how_long_the_page_had(waits):
    failures = []
    with one_wait():
        for name in ("listed", "online", "counted"):
            with pytest.raises(ExpectationFailed) as failure:
                expect_visible(Locator(), name)
            failures.append(failure.value.measured)
    assert waits == [10_000, expect_module.SETTLED_MS, expect_module.SETTLED_MS]
    assert failures == ["not visible after 10 s", "not visible after 11 s", "not visible after 12 s"]


def test_a_check_that_names_its_own_timeout_keeps_it_and_the_block_ends_with_its_with(waits):
    with one_wait():
        assert wait_ms(1_000) == 1_000
        assert wait_ms() == 10_000
    with pytest.raises(ExpectationFailed, match="after 10 s"):
        expect_visible(Locator(), "Shown")
    assert waits == [10_000]
