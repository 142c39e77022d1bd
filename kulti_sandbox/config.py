"""Everything a running sandbox needs to know about itself, decided once at start."""

from __future__ import annotations

import secrets
import string
import time
from dataclasses import dataclass, field
from pathlib import Path

import jwt

from kulti_sandbox import __version__

# Reserved numbers in the fictional 555-01xx range, so no real phone ever gets an SMS.
REGISTERED_HOST_PHONE = "+15555550100"
REGISTERED_GUEST_PHONE = "+15555550101"
UNREGISTERED_SIGNUP_PHONE = "+15555550199"
TWILIO_FROM_NUMBER = "+15005550006"  # Twilio's own magic "valid From" test number
# "Issued" time of keys signed with a fixed --supabase-jwt-secret (2025-01-01): a real project's
# anon key is minted once, so an app that bakes it into its build keeps working across restarts.
PINNED_KEYS_ISSUED_AT = 1735689600


def _hex(n: int) -> str:
    return secrets.token_hex(n // 2)


def _alphanumeric(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


@dataclass
class Credentials:
    """Random per start, like real keys: nothing may depend on their values."""

    twilio_account_sid: str = field(default_factory=lambda: "AC" + _hex(32))
    twilio_auth_token: str = field(default_factory=lambda: _hex(32))
    # A standard API key of the account: SID "SK" + 32 hex, a 32-character secret (how teams
    # that keep the auth token out of their apps authenticate: emulations/twilio_auth.py).
    twilio_api_key_sid: str = field(default_factory=lambda: "SK" + _hex(32))
    twilio_api_key_secret: str = field(default_factory=lambda: _alphanumeric(32))
    supabase_jwt_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    hms_access_key: str = field(default_factory=lambda: _hex(24))
    hms_app_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    # Another 100ms workspace of the same account (its own key and secret), with no rooms: its
    # management tokens are valid but may not touch this workspace's rooms (emulations/hms_auth.py).
    hms_other_workspace_access_key: str = field(default_factory=lambda: _hex(24))
    hms_other_workspace_app_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    sentry_auth_token: str = field(default_factory=lambda: "sntrys_" + secrets.token_urlsafe(48))
    sentry_public_key: str = field(default_factory=lambda: _hex(32))
    sentry_org: str = "kulti"
    sentry_project: str = "kulti-web"
    sentry_project_id: str = "4508000000000001"
    supabase_keys_issued_at: int = field(default_factory=lambda: int(time.time()))

    def pin_supabase_secret(self, secret: str) -> None:
        """Same secret, same keys on every start (for app builds that bake the anon key in)."""
        self.supabase_jwt_secret = secret
        self.supabase_keys_issued_at = PINNED_KEYS_ISSUED_AT

    def supabase_key(self, role: str) -> str:
        iat = self.supabase_keys_issued_at
        claims = {"iss": "supabase", "ref": "sandbox", "role": role, "iat": iat, "exp": iat + 10 * 365 * 86400}
        return jwt.encode(claims, self.supabase_jwt_secret, algorithm="HS256")

    def hms_management_token(self, valid_for: int = 86400, other_workspace: bool = False) -> str:
        now = int(time.time())
        claims = {
            "access_key": self.hms_other_workspace_access_key if other_workspace else self.hms_access_key,
            "type": "management",
            "version": 2,
            "jti": secrets.token_hex(16),
            "iat": now,
            "nbf": now,
            "exp": now + valid_for,
        }
        secret = self.hms_other_workspace_app_secret if other_workspace else self.hms_app_secret
        return jwt.encode(claims, secret, algorithm="HS256")

    def hms_app_token(self, room_id: str, user_id: str, role: str, valid_for: int = 2 * 3600) -> tuple[str, int]:
        """(token, expiry in ms) a browser joins a 100ms room with: the claims Kulti's
        lib/hms/server.ts generateHMSToken signs (type "app", two hours)."""
        now = int(time.time())
        claims = {
            "access_key": self.hms_access_key,
            "room_id": room_id,
            "user_id": user_id,
            "role": role,
            "type": "app",
            "version": 2,
            "jti": secrets.token_hex(16),
            "iat": now,
            "nbf": now,
            "exp": now + valid_for,
        }
        return jwt.encode(claims, self.hms_app_secret, algorithm="HS256"), (now + valid_for) * 1000

    def hms_app_claims(self, token: str) -> dict | None:
        """The claims of a valid app token, or None (bad signature, expired, not an app token)."""
        try:
            claims = jwt.decode(token, self.hms_app_secret, algorithms=["HS256"], options={"require": ["exp"]})
        except jwt.PyJWTError:
            return None
        ok = claims.get("type") == "app" and claims.get("access_key") == self.hms_access_key
        return claims if ok and all(isinstance(claims.get(k), str) for k in ("room_id", "user_id", "role")) else None


@dataclass
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    db_path: Path | None = None  # None: a fresh temporary database each start
    environment: str = "sandbox"
    shape: str = "runbook"  # which Kulti the sandbox serves: see kulti_sandbox/shapes
    # Links and post-form redirects move client-side (history.pushState + fetch), as a single-page
    # app's router does; the kulti-2025-11 shape always moves so, as the launched app does.
    client_nav: bool = False
    camera_fps: int = 30  # what the rooms ask the camera for (static/room/media.js)
    camera_size: tuple[int, int] = (960, 540)  # likewise, width x height
    version: str = __version__
    otp_cooldown_s: int = 60  # Supabase's default SMS rate limit per number
    otp_expiry_s: int = 60  # GoTrue's default SMS OTP expiry
    test_otps: dict[str, str] = field(default_factory=dict)  # phone -> fixed code, no SMS sent
    reserved_test_otp: str | None = None  # one fixed code for every reserved number (scheduled runs)
    recording_processing_s: float = 2.0
    credentials: Credentials = field(default_factory=Credentials)
    # The kulti-2025-11 shape's sign-up needs an invite code; one is reserved for the smoke test.
    smoke_invite_code: str = field(default_factory=lambda: "SMOKE" + secrets.token_hex(3).upper())

    def __post_init__(self) -> None:
        if self.reserved_test_otp:
            for phone in (REGISTERED_HOST_PHONE, REGISTERED_GUEST_PHONE, UNREGISTERED_SIGNUP_PHONE):
                self.test_otps.setdefault(phone, self.reserved_test_otp)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def twilio_base_url(self) -> str:
        return f"{self.url}/twilio"

    @property
    def supabase_url(self) -> str:
        return f"{self.url}/supabase"

    @property
    def hms_api_url(self) -> str:
        return f"{self.url}/hms/v2"

    @property
    def sentry_url(self) -> str:
        return f"{self.url}/sentry"

    @property
    def sentry_dsn(self) -> str:
        c = self.credentials
        return f"http://{c.sentry_public_key}@{self.host}:{self.port}/sentry/{c.sentry_project_id}"
