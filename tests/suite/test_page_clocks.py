"""Times from two users' pages compared as one clock (fixtures/probes/page_clock.py): each browser context
takes its epoch from the system clock when it starts, so a clock step between the two contexts starting
shifts one page's times against the other's. Here context A's epoch is set 5 s ahead, as such a step
would leave it."""

from __future__ import annotations

import time

import pytest

from fixtures.probes import page_clock
from fixtures.pages.find import Find
from fixtures.probes.page_clock import PageClock, on_clock_of, seconds_between

pytestmark = pytest.mark.browser

STEP_MS = 5000
SHIFT_ERROR_MS = 50  # the clocks' difference is read in each page (Date.now against its clock): far less
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
    asked = time.monotonic()
    at_a = a.now()
    at_b = b.now()  # a few ms later in truth (a busy machine: 506 ms once); 5 s earlier by the raw numbers
    apart_ms = (time.monotonic() - asked) * 1000 + SHIFT_ERROR_MS
    assert at_b - at_a < -STEP_MS / 2
    assert 0 <= on_clock_of(at_b, b, a) - at_a < apart_ms
    assert 0 <= seconds_between(at_a, a, at_b, b, "page b's reading") < apart_ms / 1000


def test_an_end_before_its_start_is_a_measurement_error_not_a_pass(two_clocks):
    a, b = two_clocks
    at_b = b.now()
    at_a = a.now()
    with pytest.raises(RuntimeError, match="measurement error: page b's reading came .* ms before its start"):
        seconds_between(at_a + 1000, a, at_b, b, "page b's reading")


def test_one_pages_own_times_are_compared_as_they_are(two_clocks):
    a, _ = two_clocks
    assert seconds_between(1000.0, a, 3500.0, a, "x") == 2.5


def test_an_impossible_or_missing_time_is_a_measurement_error(two_clocks):
    a, _ = two_clocks
    with pytest.raises(RuntimeError, match="measurement error: x came 700 s after its start"):
        seconds_between(1000.0, a, 701_000.0, a, "x")
    with pytest.raises(RuntimeError, match="measurement error: x has no time on the page clock"):
        seconds_between(1000.0, a, None, a, "x")


SPA = """<!doctype html><title>a</title><a id="next" href="/b">next</a><main><h1>Page a</h1></main><script>
  // Like a Next.js <Link>: the next page's content is fetched and put in place, no new document.
  document.getElementById('next').addEventListener('click', async (event) => {
    event.preventDefault();
    const html = await (await fetch('/b')).text();
    history.pushState({}, '', '/b');
    document.querySelector('main').innerHTML = new DOMParser().parseFromString(html, 'text/html')
      .querySelector('main').innerHTML;
  });
</script>"""
PAGE_B = "<!doctype html><main><h1 id=b>Page b</h1></main>"
B_DELAY_S = 0.6


@pytest.fixture
def spa_page(browser):
    context = browser.new_context()
    page_clock.install(context)
    page = context.new_page()

    def serve(route):
        if route.request.url.endswith("/b"):
            page.wait_for_timeout(B_DELAY_S * 1000)  # the server's answer, not a timing of the suite
            route.fulfill(body=PAGE_B, content_type="text/html")
        else:
            route.fulfill(body=SPA, content_type="text/html")

    page.route("http://spa.test/**", serve)
    yield page
    context.close()


def test_a_client_side_move_is_timed_from_the_click_to_the_next_page_shown(spa_page):
    clock = PageClock(spa_page)
    clock.watch_load("a", Find("h1", "Page a"))
    spa_page.goto("http://spa.test/a")  # from about:blank, which has no storage for the watch
    assert 0 < clock.load_seconds("a", "page a shows", "page a") < 5
    document_load_s = spa_page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
    clock.watch_click("next", Find("#next"))
    clock.watch_through_navigation("b", Find("#b"))
    spa_page.click("#next")
    moved = clock.seconds(clock.clicked_at("next"), clock.seen_at("b", "page b shows"), "page b")
    assert B_DELAY_S <= moved < B_DELAY_S + 2
    # What Navigation Timing still says after the move: the first page's load, not page b's.
    assert spa_page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000 == document_load_s
