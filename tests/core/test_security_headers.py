"""Content-Security-Policy and Permissions-Policy on every kind of answer."""

import pytest
from django.urls import reverse

from tests.billing.factories import issue_invoice


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def pages(client, admin, customer):
    """Each kind of answer: (name, client, url, expected status)."""
    invoice = issue_invoice(customer)
    signed_in = client.__class__()
    signed_in.force_login(admin)
    return [
        ("sign-in", client, reverse("login"), 200),
        ("customer list", signed_in, reverse("customers:list"), 200),
        ("dashboard", signed_in, reverse("tabs:dashboard", args=[customer.pk]), 200),
        ("a customer tab", signed_in, reverse("tabs:contacts", args=[customer.pk]), 200),
        ("invoice", signed_in, reverse("tabs:billing_invoice", args=[customer.pk, invoice.pk]), 200),
        ("settings", signed_in, reverse("settings:overview"), 200),
        ("API docs", signed_in, "/api/docs", 200),
        ("API JSON", signed_in, f"/api/v1/customers/{customer.pk}", 200),
        ("OpenAPI document", signed_in, "/api/openapi.json", 200),
        ("404 page", signed_in, "/no-such-page/", 404),
        ("API 404", signed_in, "/api/v1/no-such-endpoint", 404),
    ]


def test_every_kind_of_answer_carries_a_script_policy_without_inline_or_eval(pages):
    for name, client, url, status in pages:
        response = client.get(url)
        assert response.status_code == status, name
        assert "Content-Security-Policy" in response, name
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], (name, policy["script-src"])
        assert policy["default-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], name
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy.get("script-src-elem", []), name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name


def test_every_kind_of_answer_switches_off_camera_microphone_location_and_payment(pages):
    for name, client, url, _status in pages:
        permissions = client.get(url)["Permissions-Policy"]
        for feature in ["camera", "microphone", "geolocation", "payment"]:
            assert f"{feature}=()" in permissions, (name, feature)


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy would block them: behaviour lives in static files, bound from data-* attributes."""
    import re
    from pathlib import Path

    import accountdesk

    root = Path(accountdesk.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        html = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", html):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", html):
            offenders.append(f"{template}: on* attribute")
        if "hx-on" in html or "javascript:" in html:
            offenders.append(f"{template}: hx-on or javascript: URL")
    assert not offenders, offenders
