"""The kulti-2025-11 shape over HTTP: routes, statuses, headers, proxy redirects, the real
app's tables through the PostgREST emulation, and the env file's invite code."""

from __future__ import annotations

import httpx
import pytest



def get(sandbox, path, **kw):
    return httpx.get(sandbox.url + path, follow_redirects=False, **kw)


def rest(sandbox, table, **params):
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    return httpx.get(sandbox.env["SUPABASE_URL"] + "/rest/v1/" + table, params=params,
                     headers={"apikey": key, "Authorization": "Bearer " + key})


@pytest.mark.parametrize("path", ["/", "/login", "/signup"])
def test_public_pages_answer_200(kulti, path):
    assert get(kulti, path).status_code == 200


@pytest.mark.parametrize("path", ["/dashboard", "/browse", "/profile/smoke_host", "/s/VIBE-AB12"])
def test_protected_pages_send_signed_out_visitors_to_login_with_307(kulti, path):
    r = get(kulti, path)
    assert r.status_code == 307
    assert r.headers["location"] == kulti.url + "/login?redirectTo=" + path.replace("/", "%2F")


def test_settings_is_left_to_the_layout_which_redirects_without_redirect_to(kulti):
    r = get(kulti, "/settings")
    assert (r.status_code, r.headers["location"]) == (307, "/login")


def test_no_health_endpoint_and_a_real_404(kulti):
    assert get(kulti, "/api/health").status_code == 404
    r = get(kulti, "/no-such-page")
    assert r.status_code == 404 and "Page Not Found" in r.text


def test_headers_are_next_config_s(kulti):
    h = get(kulti, "/").headers
    assert h["strict-transport-security"] == "max-age=63072000; includeSubDomains; preload"
    assert h["x-frame-options"] == "SAMEORIGIN"
    assert "content-security-policy" not in h
    assert h["referrer-policy"] == "origin-when-cross-origin"


def test_landing_texts_and_links(kulti):
    html = get(kulti, "/").text
    assert "Build The Future, Live" in html
    assert html.count('href="/login"') == 2 and html.count('href="/signup"') == 2


def test_real_tables_through_postgrest(kulti):
    hosts = rest(kulti, "profiles", select="username,is_approved", order="username")
    assert hosts.json()[:2] == [{"username": "maya_builds", "is_approved": True},
                                {"username": "smoke_guest", "is_approved": True}]
    live = rest(kulti, "sessions", select="room_code,status,is_public", status="eq.live").json()
    assert len(live) == 1 and live[0]["is_public"] is True and "-" in live[0]["room_code"]
    assert rest(kulti, "messages", select="id").json() == []
    assert rest(kulti, "follows").status_code == 404
    invite = rest(kulti, "invites", code="eq." + kulti.env["SMOKE_INVITE_CODE"], select="current_uses,is_active")
    assert invite.json() == [{"current_uses": 0, "is_active": True}]


def test_sign_up_number_is_unregistered(kulti):
    assert rest(kulti, "profiles", select="id", username="eq.smoke_signup").json() == []


def test_invite_validation_answers_as_the_real_route(kulti):
    ok = httpx.post(kulti.url + "/api/invites/validate", json={"code": kulti.env["SMOKE_INVITE_CODE"]}).json()
    bad = httpx.post(kulti.url + "/api/invites/validate", json={"code": "NOPE1"}).json()
    assert ok["isValid"] is True and bad == {"isValid": False, "error": "Invalid invite code"}


def test_create_session_needs_a_signed_in_user(kulti):
    r = httpx.post(kulti.url + "/api/sessions/create", json={"title": "x"})
    assert (r.status_code, r.json()) == (401, {"error": "Unauthorized"})


def test_bad_shape_is_refused_naming_the_option(tmp_path):
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "kulti_sandbox", "--shape", "nope"], capture_output=True, text=True)
    assert r.returncode == 2 and "--shape 'nope'" in r.stderr and "Traceback" not in r.stderr
