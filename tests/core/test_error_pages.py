"""Our own 403, 404 and 500 pages in the product's layout; the API keeps answering JSON."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db.utils import OperationalError
from django.test import Client, RequestFactory

from accountdesk.core import views as core_views

ROOT = Path(__file__).resolve().parents[2]


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_it_shows_our_404_for_a_disabled_modules_bookmarked_tab(provider, agent, customer):
    provider.usage = False
    provider.save()
    response = signed_in(agent).get(f"/customers/{customer.pk}/usage/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html
    assert 'class="app-header"' in html and "Go to the customer list" in html
    assert "Module not enabled" not in html and "Traceback" not in html


def test_it_shows_our_403_when_the_role_cannot_open_a_tab(staff, customer):
    response = signed_in(staff["technician"]).get(f"/customers/{customer.pk}/billing/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role cannot open this page" in html and "Technician" in html
    assert 'href="/"' in html


def test_it_shows_our_500_without_internals(agent, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("secret internals: table customers_customer")

    monkeypatch.setattr("accountdesk.customers.selectors.customer_list", explode)
    response = signed_in(agent).get("/customers/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret internals" not in html and "RuntimeError" not in html


def test_it_renders_the_500_page_without_a_database():
    # No django_db mark: any query here fails the test.
    request = RequestFactory().get("/customers/")
    response = core_views.server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b'class="brand"' in response.content


def test_it_answers_api_errors_in_json(agent, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("accountdesk.customers.selectors.customer_list", explode)
    client = signed_in(agent)
    response = client.get("/api/v1/customers")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()
    outside = client.get("/api/nothing-here")
    assert outside.status_code == 404 and outside.json()["error"]["code"] == "not_found"


def test_an_unreachable_database_answers_503_with_retry_after(agent, monkeypatch):
    def lost(**kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("accountdesk.customers.selectors.customer_list", lost)
    client = signed_in(agent)
    page = client.get("/customers/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    html = page.content.decode()
    assert "We will be back in a few seconds" in html and "Connection refused" not in html
    api = client.get("/api/v1/customers")
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert api.json()["error"]["code"] == "unavailable"
    assert "127.0.0.1" not in api.content.decode()


def test_a_bug_is_still_a_500_not_an_outage(agent, monkeypatch):
    def bug(**kwargs):
        raise ValueError("not the database")

    monkeypatch.setattr("accountdesk.customers.selectors.customer_list", bug)
    response = signed_in(agent).get("/customers/")
    assert response.status_code == 500 and "Retry-After" not in response


def test_it_answers_json_for_api_permission_errors_raised_by_django():
    request = RequestFactory().get("/api/v1/customers")
    response = core_views.permission_denied(request, Exception("internal detail"))
    assert response.status_code == 403 and response["Content-Type"] == "application/json"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_environment() -> dict[str, str]:
    """The settings `make run` serves with, read from the Makefile's run recipe."""
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    defaults = dict(re.findall(r"(ACCOUNTDESK_[A-Z_]+)=\$\$\{\1:-([^}]*)\}", recipe))
    assert defaults["ACCOUNTDESK_DEBUG"] == "0"
    return defaults


def test_make_run_serves_static_files_and_our_404_with_debug_off(tmp_path):
    # The server's own scratch SQLite database, whichever database the tests run on.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ACCOUNTDESK_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(_run_environment())
    env["ACCOUNTDESK_VAR_DIR"] = str(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "accountdesk.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        css = urllib.request.urlopen(f"{base}/static/css/app.css", timeout=5)
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]
        assert b".error-page" in css.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/no-such-page/", timeout=5)
        assert missing.value.code == 404
        html = missing.value.read().decode()
        assert "This page does not exist" in html and "Traceback" not in html
    finally:
        server.terminate()
        server.wait(timeout=10)
