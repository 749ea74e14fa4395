"""The web app's CSRF tokens, cookies and template escaping, without a server."""
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.web import security
from gateway.web.base import safe_next
from gateway.web.rendering import render

SECRET = "s" * 40


def request(method="GET", cookies=None, form=None, headers=None):
    builder = EnvironBuilder(method=method, path="/clients", data=form, headers=headers or {})
    for name, value in (cookies or {}).items():
        builder.headers.add("Cookie", f"{name}={value}")
    return Request(builder.get_environ())


def test_token_is_bound_to_the_browsers_cookie():
    mine = security.csrf_token(SECRET, "s:session-a")
    assert security.csrf_ok(request("POST", {"interlude_session": "session-a"}, {"csrf_token": mine}), SECRET)
    assert not security.csrf_ok(request("POST", {"interlude_session": "session-b"}, {"csrf_token": mine}), SECRET)
    assert not security.csrf_ok(request("POST", {"interlude_session": "session-a"}, {}), SECRET)
    assert not security.csrf_ok(request("POST", {}, {"csrf_token": mine}), SECRET)   # no cookie at all
    assert security.csrf_ok(request("POST", {"interlude_session": "session-a"}, headers={"X-CSRF-Token": mine}), SECRET)
    assert security.csrf_ok(request("GET"), SECRET)
    assert security.csrf_token("another secret key of forty characters..", "s:session-a") != mine


def test_cookie_is_secure_only_behind_https():
    assert "Secure" not in security.cookie("c", "v", 10, secure=security.is_https("http://127.0.0.1:8080"))
    cookie = security.cookie("c", "v", 10, secure=security.is_https("https://interlude.example"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_next_is_always_local():
    assert safe_next("/tools?q=a") == "/tools?q=a"
    for bad in ("//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)", None):
        assert safe_next(bad) == "/"


def test_templates_escape_user_text():
    req = request()
    req.web = {"csrf_token": "t", "user": {"name": "<img src=x onerror=alert(1)>"}}
    html = render(req, "assign_done.html", tool={"title": "<script>alert(1)</script>"}, on_paper=False,
                  done=[{"client": {"id": "c1", "display_name": "<b>Sam</b>"}, "links": ["/portal/x"], "dues": []}]
                  ).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Sam</b>" not in html and "<img src=x" not in html
