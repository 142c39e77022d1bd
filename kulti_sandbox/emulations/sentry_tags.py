"""The tags Sentry keeps for an event: the SDK's own, cleaned by Relay, plus the derived ones.

Order of work, each later step overwriting a key (set_tag):
1. getsentry/relay normalize_event_tags (relay-event-normalization event.rs): the SDK's tags
   without `release`, `dist`, `user`, `filename`, `function` (Sentry sets those itself) or
   `environment` (moved to the event field at ingest), first of duplicates kept, empty values
   dropped; then `server_name` and `site` from the event fields.
2. getsentry/sentry src/sentry/event_manager.py: `level`, `logger`, `environment`,
   `transaction`; `sentry:release`, `sentry:dist` (with a release), `sentry:user` (EventUser
   tag_value: the first of id, username, email, ip_address as "id:..", "username:..", ..);
   then every interface's iter_tags: the first exception's mechanism (`mechanism`, `handled`,
   interfaces/exception.py), the request URL without query (`url`, interfaces/http.py), and the
   contexts (interfaces/contexts.py: browser, os, device, runtime, gpu, app, monitor).
3. EventSerializer lists them sorted by key, "sentry:" prefixes cut, with a search `query` for
   the user tag (sentry/search/utils.py convert_user_tag_to_query).
"""

from __future__ import annotations

import string
from urllib.parse import urlsplit

RESERVED_CLIENT_TAGS = {"", "release", "dist", "user", "filename", "function", "environment"}
# ContextType.indexed_fields: tag suffix -> format over the context's fields
INDEXED_FIELDS = {
    "device": {"": "{model}", "family": "{family}"},
    "runtime": {"": "{name} {version}", "name": "{name}"},
    "browser": {"": "{name} {version}", "name": "{name}"},
    "os": {"": "{name} {version}", "name": "{name}", "rooted": "{rooted}"},
    "gpu": {"name": "{name}", "vendor": "{vendor_name}"},
    "app": {"device": "{device_app_hash}"},
    "monitor": {"id": "{id}"},
}
USER_TAG_FIELDS = (("id", "id"), ("username", "username"), ("email", "email"), ("ip_address", "ip"))


class _YesNoFormatter(string.Formatter):
    def format_field(self, value, format_spec):
        if not format_spec and isinstance(value, bool):
            return "yes" if value else "no"
        return super().format_field(value, format_spec)


def client_tags(event: dict) -> dict[str, str]:
    raw = event.get("tags") or {}
    pairs = raw.items() if isinstance(raw, dict) else [t for t in raw if isinstance(t, (list, tuple)) and len(t) == 2]
    found: dict[str, str] = {}
    for key, value in pairs:
        key = str(key)
        if key in RESERVED_CLIENT_TAGS or key in found or value is None or str(value) == "":
            continue
        found[key] = str(value)
    for field in ("server_name", "site"):
        if event.get(field):
            found[field] = str(event[field])
    return found


def user_tag(user) -> str | None:
    if not isinstance(user, dict):
        return None
    return next((f"{label}:{user[key]}" for key, label in USER_TAG_FIELDS if user.get(key)), None)


def mechanism_tags(event: dict) -> dict[str, str]:
    exc = event.get("exception")
    values = exc.get("values") if isinstance(exc, dict) else exc
    first = values[0] if isinstance(values, list) and values and isinstance(values[0], dict) else {}
    mechanism = first.get("mechanism")
    if not isinstance(mechanism, dict) or not mechanism:
        return {}
    found = {"mechanism": str(mechanism.get("type") or "generic")}
    if isinstance(mechanism.get("handled"), bool):
        found["handled"] = "yes" if mechanism["handled"] else "no"
    return found


def context_tags(event: dict) -> dict[str, str]:
    found = {}
    for alias, context in (event.get("contexts") or {}).items():
        if not isinstance(context, dict):
            continue
        fields = {k: v for k, v in context.items() if v is not None and v != ""}
        for suffix, template in INDEXED_FIELDS.get(fields.get("type", alias), {}).items():
            try:
                value = _YesNoFormatter().vformat(template, (), fields).strip()
            except (KeyError, IndexError):
                continue  # a field the template needs is missing: no tag, as in Sentry
            if value:
                found[f"{alias}.{suffix}" if suffix else alias] = value
    return found


def tag_map(event: dict, user: dict | None) -> dict[str, str]:
    found = client_tags(event)
    for key in ("level", "logger", "environment", "transaction"):
        if event.get(key):
            found[key] = str(event[key])
    if event.get("release"):
        found["release"] = event["release"]
        if event.get("dist"):
            found["dist"] = str(event["dist"])
    if tag := user_tag(user):
        found["user"] = tag
    found.update(mechanism_tags(event))
    url = (event.get("request") or {}).get("url")
    if isinstance(url, str) and url:
        found["url"] = urlsplit(url)._replace(query="", fragment="").geturl()
    found.update(context_tags(event))
    return found


def api_tags(event: dict, user: dict | None) -> list[dict]:
    out = [{"key": k, "value": v} for k, v in sorted(tag_map(event, user).items())]
    for tag in out:
        if tag["key"] == "user" and ":" in tag["value"]:
            sub, _, val = tag["value"].partition(":")
            tag["query"] = f'user.{sub}:"{val}"'
    return out
