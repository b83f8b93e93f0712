import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from accountdesk.core.redirects import is_safe_next, safe_next
from accountdesk.core.views_support import redirect_after_write

UNSAFE = [
    "",
    None,
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://evil.example/",
    "http://testserver/customers/",  # absolute, even to this host: not a path
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/customers/\r\nSet-Cookie: x=1",
    "/customers/\x00",
    "/customers/\x7f",
    "customers/",
    "evil.example",
    "?next=/",
    "#top",
]
SAFE = ["/", "/customers/", "/customers/12/messages/?channel=email&cursor=abc", "/customers/12/#note-3"]


@pytest.mark.parametrize("candidate", UNSAFE)
def test_it_falls_back_for_anything_but_a_same_site_path(candidate):
    assert not is_safe_next(candidate)
    assert safe_next(candidate, "/fallback/") == "/fallback/"


@pytest.mark.parametrize("candidate", SAFE)
def test_it_keeps_a_same_site_path(candidate):
    assert safe_next(candidate, "/fallback/") == candidate


@given(st.text(max_size=40))
def test_whatever_it_returns_is_a_path_on_this_site(candidate):
    target = safe_next(candidate, "/fallback/")
    assert target.startswith("/") and not target.startswith(("//", "/\\"))
    assert not any(ord(char) < 0x20 or char in "\\\x7f" for char in target)


@pytest.mark.parametrize("htmx", [True, False])
def test_a_write_never_redirects_off_the_site(htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    request = RequestFactory().post("/", **headers)
    response = redirect_after_write(request, "javascript:alert(1)", fallback="/customers/")
    assert (response["HX-Redirect"] if htmx else response["Location"]) == "/customers/"
