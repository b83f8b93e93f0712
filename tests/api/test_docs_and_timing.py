"""The OpenAPI document and docs page (offline, for staff), Server-Timing (for staff), and the
browser session on the API."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accountdesk.notes.models import Note

TIMING = re.compile(r'^db;dur=(\d+\.\d);desc="(\d+) queries", total;dur=(\d+\.\d)$')


def test_it_serves_the_openapi_document_with_the_contract_paths(client, agent):
    client.force_login(agent)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/customers/{customer_id}/contacts",
        "/api/v1/customers/{customer_id}/notes",
        "/api/v1/customers/{customer_id}/activity",
        "/api/v1/customers/{customer_id}/status-history",
        "/api/v1/customers/{customer_id}/status",
    ]:
        assert path in paths, path
    assert "post" in paths["/api/v1/customers/{customer_id}/notes"]


def test_the_openapi_document_takes_a_bearer_token(api_as):
    response = api_as("readonly").get("/api/openapi.json")
    assert response.status_code == 200 and "/api/v1/customers" in response.json()["paths"]


def test_the_openapi_document_is_refused_to_a_stranger(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "paths" not in response.content.decode()
    bad_token = Client(HTTP_AUTHORIZATION="Bearer not-a-token").get("/api/openapi.json")
    assert bad_token.status_code == 401


def test_the_docs_page_sends_a_stranger_to_sign_in_and_back(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs"


def test_the_docs_are_public_when_published(client, db, settings):
    settings.ACCOUNTDESK_PUBLISH_API_DOCS = True
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200 and "/api/v1/customers/{customer_id}" in schema.json()["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert (
        'id="swagger-ui"' in docs.content.decode() and '"url": "/api/openapi.json"' in docs.content.decode()
    )


def test_the_docs_page_loads_nothing_from_another_host(client, agent):
    client.force_login(agent)
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    referenced = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert referenced and all(url.startswith("/static/") for url in referenced), referenced
    assert '"validatorUrl": null' in html  # the Swagger UI badge would otherwise call validator.swagger.io
    assert "persistAuthorization" not in html  # a token typed into Authorize is not kept in localStorage
    for url in referenced:  # the bundled assets are really served
        assert client.get(url).status_code == 200, url


def test_every_api_response_carries_server_timing_with_the_real_query_count(api_as, customer):
    api = api_as("agent")
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/api/v1/customers")
    match = TIMING.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    assert int(match.group(2)) == len(ctx.captured_queries)
    assert float(match.group(3)) >= float(match.group(1))


def test_errors_and_pages_carry_server_timing_too(api_as, client, agent):
    assert TIMING.match(api_as("agent").get("/api/v1/customers/999")["Server-Timing"])
    client.force_login(agent)
    assert TIMING.match(client.get("/customers/")["Server-Timing"])
    assert TIMING.match(client.get("/healthz")["Server-Timing"])


def test_a_stranger_gets_no_server_timing(client, db):
    for url in ["/login/", "/healthz", "/api/v1/customers", "/api/v1/customers/999", "/customers/"]:
        assert "Server-Timing" not in client.get(url), url
    bad_token = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert "Server-Timing" not in bad_token.get("/api/v1/customers")


def test_everyone_gets_server_timing_when_it_is_public(client, db, settings):
    settings.ACCOUNTDESK_SERVER_TIMING_PUBLIC = True
    assert TIMING.match(client.get("/login/")["Server-Timing"])


def test_the_api_accepts_the_browser_session_for_reads(client, agent, customer):
    client.force_login(agent)
    response = client.get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["name"]) == (customer.pk, customer.name)


def test_the_browser_session_needs_the_csrf_token_for_writes(agent, customer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent)
    url = f"/api/v1/customers/{customer.pk}/notes"
    refused = browser.post(url, {"body": "x"}, content_type="application/json")
    assert refused.status_code == 401
    assert not Note.objects.exists()
    token = "k" * 32  # a CSRF secret as the cookie, sent back in the header as a page's script does
    browser.cookies["csrftoken"] = token
    accepted = browser.post(url, {"body": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
    assert Note.objects.get().author == agent
