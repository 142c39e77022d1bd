"""The release of an event, as "Retrieve an Event for a Project" returns it.

Sentry creates the Release when the first event naming it is saved (event_manager.py
_get_or_create_release_many, date_added = that event's time) and counts the issues it opened
(ReleaseProject.new_groups). project_event_details.py serializes it with
include_full_release_data=True, i.e. the full ReleaseSerializer
(src/sentry/api/serializers/models/release.py): first/last event from the release tag's first
and last seen, versionInfo from sentry-release-parser (getsentry/sentry-release-parser
src/parser.rs: "package@version", a version parsed only after an "@", build hashes of 12, 16,
20, 32, 40 or 64 hex digits, short description).

The sandbox has no commits, deploys, owners or release health: those fields are their empty
values, and the project's platform is unset.
"""

from __future__ import annotations

import hashlib
import re

RELEASE_RE = re.compile(r"^(@?[^@]+)@(.+?)$")
VERSION_RE = re.compile(r"""^(?P<major>[0-9][0-9]*)(?:\.(?P<minor>[0-9][0-9]*))?(?:\.(?P<patch>[0-9][0-9]*))?
    (?:\.(?P<revision>[0-9][0-9]*))?
    (?P<pre>(?:-|[a-z])(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)?(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?
    (?:\+(?P<build_code>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$""", re.X)
INVALID_RELEASE_RE = re.compile(r"[/\r\n\t\x0c]")


def is_valid_release(release: str) -> bool:
    """sentry-release-parser validate_release; Relay drops a release that fails it."""
    return (len(release) <= 200 and release not in (".", "..") and release.lower() != "latest"
            and not INVALID_RELEASE_RE.search(release))


def is_build_hash(value: str) -> bool:
    return len(value) in (12, 16, 20, 32, 40, 64) and re.fullmatch(r"[0-9a-fA-F]+", value) is not None


def parsed_version(raw: str) -> dict | None:
    found = VERSION_RE.match(raw)
    if not found:
        return None
    parts = found.groupdict()
    return {"major": int(parts["major"]), "minor": int(parts["minor"] or 0), "patch": int(parts["patch"] or 0),
            "pre": (parts["pre"] or "").removeprefix("-") or None, "buildCode": parts["build_code"],
            "components": 1 + sum(parts[k] is not None for k in ("minor", "patch", "revision")),
            "_quad": [parts[k] for k in ("major", "minor", "patch", "revision") if parts[k] is not None]}


def version_info(release: str) -> dict:
    package, raw, version = None, release, None
    if found := RELEASE_RE.match(release):
        package, raw = found.group(1), found.group(2)
        version = None if is_build_hash(raw) else parsed_version(raw)
    build_hash = next((h for h in ((version or {}).get("buildCode"), raw) if h and is_build_hash(h)), None)
    short_hash = build_hash[:12] if build_hash else None
    if version:
        description = ".".join(version["_quad"]) + (f"-{version['pre']}" if version["pre"] else "")
        suffix = short_hash or version["buildCode"]
        description += f" ({suffix})" if suffix else ""
    else:
        description = short_hash or (f"{package}@{raw}" if package else raw)
    shown = {"raw": raw, **({k: v for k, v in version.items() if not k.startswith("_")} if version else {})}
    return {"package": package, "version": shown, "description": description, "buildHash": build_hash}


def release_id(version: str) -> int:
    # Sentry's ids are database integers; a stable one per version stands in.
    return int(hashlib.sha1(version.encode()).hexdigest()[:8], 16) % 10_000_000 + 1


def release_object(version: str, events: list[dict], project: dict, issue_of, api_time) -> dict:
    """`events`: the project's stored events; `issue_of(event)` its issue id."""
    own = [e for e in events if e.get("release") == version]
    first_of_issue: dict[str, dict] = {}
    for event in sorted(events, key=lambda e: e["timestamp"]):
        first_of_issue.setdefault(issue_of(event), event)
    new_groups = sum(1 for e in first_of_issue.values() if e.get("release") == version)
    first = min((e["timestamp"] for e in own), default=None)
    last = max((e["timestamp"] for e in own), default=None)
    return {
        "id": release_id(version), "version": version, "status": "open", "shortVersion": version,
        "versionInfo": version_info(version), "ref": None, "url": None, "dateReleased": None,
        "dateCreated": first and api_time(first), "data": {}, "newGroups": new_groups, "owner": None,
        "commitCount": 0, "lastCommit": None, "deployCount": 0, "lastDeploy": None, "authors": [],
        "projects": [{**project, "newGroups": new_groups, "platform": None, "platforms": [],
                      "hasHealthData": False}],
        "firstEvent": first and api_time(first), "lastEvent": last and api_time(last),
        "currentProjectMeta": {}, "userAgent": None,
    }
