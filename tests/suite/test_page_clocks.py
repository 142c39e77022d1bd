"""Times from two users' pages compared as one clock (fixtures/probes/page_clock.py): each browser context
takes its epoch from the system clock when it starts, so a clock step between the two contexts starting
shifts one page's times against the other's. Here context A's epoch is set 5 s ahead, as such a step
would leave it."""

from __future__ import annotations

import pytest

from fixtures.probes import page_clock
from fixtures.probes.page_clock import PageClock, on_clock_of, seconds_between

pytestmark = pytest.mark.browser

STEP_MS = 5000
EPOCH_AHEAD = f"""(() => {{
  const origin = performance.timeOrigin + {STEP_MS};
  Object.defineProperty(performance, 'timeOrigin', {{ get: () => origin }});
}})();"""


@pytest.fixture
def two_clocks(browser):
    contexts = [browser.new_context(), browser.new_context()]
    contexts[0].add_init_script(script=EPOCH_AHEAD)
    clocks = []
    for context in contexts:
        page_clock.install(context)
        page = context.new_page()
        page.set_content("<p>a user's page</p>")
        clocks.append(PageClock(page))
    yield clocks
    for context in contexts:
        context.close()


def test_a_moment_on_one_page_is_the_same_moment_on_the_other(two_clocks):
    a, b = two_clocks
    at_a = a.now()
    at_b = b.now()  # a few ms later in truth; 5 s earlier by the raw numbers
    assert at_b - at_a < -STEP_MS / 2
    assert 0 <= on_clock_of(at_b, b, a) - at_a < 500
    assert 0 <= seconds_between(at_a, a, at_b, b, "page b's reading") < 0.5


def test_an_end_before_its_start_is_a_measurement_error_not_a_pass(two_clocks):
    a, b = two_clocks
    at_b = b.now()
    at_a = a.now()
    with pytest.raises(RuntimeError, match="measurement error: page b's reading came .* ms before its start"):
        seconds_between(at_a + 1000, a, at_b, b, "page b's reading")


def test_one_pages_own_times_are_compared_as_they_are(two_clocks):
    a, _ = two_clocks
    assert seconds_between(1000.0, a, 3500.0, a, "x") == 2.5
