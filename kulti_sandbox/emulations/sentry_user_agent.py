"""Browser, OS and device contexts from an event's User-Agent header, as Relay adds them.

getsentry/relay relay-event-normalization normalize/user_agent.rs: the User-Agent (and client
hints) of the event's own `request.headers` become `contexts.browser`, `contexts.device` and,
for platform "javascript", `contexts.os` (any other platform gets `contexts.client_os`, so a
server SDK's own `os` context is kept); a context the SDK already sent is never replaced, and a
family uap-core calls "Other" adds nothing. The version is major[.minor[.patch]]
(store/user_agent.rs get_version). Sentry then derives the `browser`, `os`, `device` tags from
these contexts (sentry/interfaces/contexts.py).

uap-core's regex set is thousands of lines; this module knows the families a Kulti visitor or
the test browsers send: Edge, HeadlessChrome, Chrome (and Chrome Mobile / Chrome Mobile iOS),
Firefox (and Firefox Mobile / Firefox iOS), Safari and Mobile Safari; Windows, Mac OS X, iOS,
Android, Chrome OS, Ubuntu, Linux; iPhone, iPad and Mac devices. Anything else is "Other" here,
so it adds no context (Relay would name more families).
"""

from __future__ import annotations

import re

BROWSERS = [  # (family, pattern with major/minor/patch groups); first match wins, as in uap-core
    ("Edge", r"Edg(?:e|A|iOS)?/(\d+)\.(\d+)(?:\.(\d+))?"),
    ("HeadlessChrome", r"HeadlessChrome/(\d+)\.(\d+)\.(\d+)"),
    ("Chrome Mobile iOS", r"CriOS/(\d+)\.(\d+)\.(\d+)"),
    ("Firefox iOS", r"FxiOS/(\d+)\.(\d+)(?:\.(\d+))?"),
    ("Chrome Mobile", r"Android.*Chrome/(\d+)\.(\d+)\.(\d+)[\d.]* Mobile"),
    ("Chrome", r"Chrome/(\d+)\.(\d+)\.(\d+)"),
    ("Firefox Mobile", r"Mobile.*Firefox/(\d+)\.(\d+)(?:\.(\d+))?"),
    ("Firefox", r"Firefox/(\d+)\.(\d+)(?:\.(\d+))?"),
    ("Mobile Safari", r"Version/(\d+)\.(\d+)(?:\.(\d+))?.* Mobile/\S+ Safari/"),
    ("Safari", r"Version/(\d+)\.(\d+)(?:\.(\d+))? Safari/"),
]
OSES = [
    ("iOS", r"(?:iPhone|iPad|iPod).*? OS (\d+)_(\d+)(?:_(\d+))?"),
    ("Android", r"Android (\d+)(?:\.(\d+))?(?:\.(\d+))?"),
    ("Mac OS X", r"Mac OS X (\d+)[_.](\d+)(?:[_.](\d+))?"),
    ("Chrome OS", r"CrOS \S+ (\d+)\.(\d+)(?:\.(\d+))?"),
    ("Windows", r"Windows NT (10)\.0()()"),
    ("Ubuntu", r"Ubuntu()()()"),
    ("Linux", r"Linux()()()"),
]
WINDOWS_NAMES = {"6.1": "7", "6.2": "8", "6.3": "8.1"}
DEVICES = [("iPhone", r"iPhone"), ("iPad", r"iPad"), ("Mac", r"Macintosh")]


def _version(parts) -> str | None:
    """Relay's get_version: major, then .minor, then .patch, while they exist."""
    out = []
    for part in parts:
        if not part:
            break
        out.append(part)
    return ".".join(out) or None


def _first(table, user_agent: str) -> tuple[str, str | None] | None:
    for family, pattern in table:
        if found := re.search(pattern, user_agent):
            return family, _version(found.groups())
    return None


def browser_context(user_agent: str) -> dict | None:
    found = _first(BROWSERS, user_agent)
    return found and {"name": found[0], "version": found[1], "type": "browser"}


def os_context(user_agent: str) -> dict | None:
    if old := re.search(r"Windows NT (6\.[123])", user_agent):
        return {"name": "Windows", "version": WINDOWS_NAMES[old.group(1)], "type": "os"}
    found = _first(OSES, user_agent)
    return found and {k: v for k, v in {"name": found[0], "version": found[1], "type": "os"}.items() if v}


def device_context(user_agent: str) -> dict | None:
    family = next((f for f, pattern in DEVICES if re.search(pattern, user_agent)), None)
    return family and {"family": family, "model": family, "brand": "Apple", "type": "device"}


def header_value(headers, name: str) -> str | None:
    """A header from the SDK's request interface: a mapping or a list of pairs."""
    pairs = headers.items() if isinstance(headers, dict) else (headers if isinstance(headers, list) else [])
    for pair in pairs:
        if isinstance(pair, (list, tuple)) and len(pair) == 2 and str(pair[0]).lower() == name:
            return pair[1] if isinstance(pair[1], str) else None
    return None


def add_user_agent_contexts(event: dict) -> None:
    """Fill the contexts Relay derives from request.headers' User-Agent, never replacing one."""
    request = event.get("request")
    user_agent = header_value(request.get("headers"), "user-agent") if isinstance(request, dict) else None
    if not user_agent:
        return
    contexts = event.setdefault("contexts", {})
    os_key = "os" if event.get("platform") == "javascript" else "client_os"
    for key, make in (("browser", browser_context), ("device", device_context), (os_key, os_context)):
        if key not in contexts and (context := make(user_agent)):
            contexts[key] = context
