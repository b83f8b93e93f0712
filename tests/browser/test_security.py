"""What the Content-Security-Policy and the redirect check mean in a real browser: a `javascript:`
next never runs (the sender lands on the page's own fallback), and the dashboard, its dialogs, a
confirmation and the API docs work with no policy violation."""

import re

import pytest

from accountdesk.customers.models import Contact
from accountdesk.messaging.models import Message
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"
EXPLOIT = "javascript:window.__pwned=1;document.title='pwned';alert('pwned')"


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(
        provider=provider, role="agent", email="agent@acme.test", name="Alex Agent", password=PASSWORD
    )
    customer = CustomerFactory(
        provider=provider, name="Northwind Traders", email="accounts@northwind.test", status="active"
    )
    ContactFactory(customer=customer, name="Maria Anders")
    return {"agent": agent, "customer": customer}


@pytest.fixture
def watched(page):
    """The page, recording every CSP violation, console error and JavaScript dialog (alert, confirm)
    across navigations: `watched.violations`, `.errors`, `.dialogs`."""
    page.violations, page.errors, page.dialogs = [], [], []
    page.expose_function("__reportViolation", lambda text: page.violations.append(text))
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) => window.__reportViolation(
             `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""
    )
    # A form sent back with its errors is a 400 on purpose: Chromium logs it, and it is no fault.
    expected = "the server responded with a status of 400"
    page.on(
        "console",
        lambda message: (
            message.type == "error" and expected not in message.text and page.errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def sign_in(page, live_server, next_url=""):
    page.goto(f"{live_server.url}/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email").fill("agent@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_javascript_next_never_runs(watched, live_server, acme, shot):
    page, customer = watched, acme["customer"]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))

    # Sign-in with a javascript: next lands on the customer list.
    sign_in(page, live_server, EXPLOIT)
    page.wait_for_url(re.compile(r"/customers/$"))

    # The send-email dialog (its own page, the form posted by HTMX, answered with HX-Redirect).
    page.goto(f"{live_server.url}/customers/{customer.pk}/messages/email/?next={EXPLOIT}")
    assert page.locator("input[name=next]").get_attribute("value") == ""
    page.get_by_label("Subject").fill("Your invoice")
    page.get_by_label("Message", exact=True).fill("Attached.")
    page.get_by_role("button", name="Send email").click()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/messages/$"))
    page.get_by_text("Email to accounts@northwind.test queued.").wait_for()
    shot(page, "security-01-javascript-next-ignored")

    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned"
    assert page.dialogs == []
    assert Message.objects.filter(customer=customer).count() == 1


def test_the_dashboard_and_its_dialogs_work_under_the_policy(watched, live_server, acme, shot):
    page, customer = watched, acme["customer"]
    sign_in(page, live_server)
    page.wait_for_url(re.compile(r"/customers/$"))
    response = page.goto(f"{live_server.url}/customers/{customer.pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("htmx.config.allowEval") is False  # htmx never reaches for eval()

    # A dashboard dialog: a wrong amount is refused inline, a right one is issued in place.
    page.get_by_role("button", name="Issue credit").click()
    dialog = page.locator("#dashboard-action")
    dialog.get_by_label("Amount").fill("12.345")
    dialog.get_by_label("Reason").fill("Outage on 3 March")
    dialog.get_by_role("button", name="Issue credit").click()
    dialog.locator(".field-error").wait_for()
    dialog.get_by_label("Amount").fill("15.00")
    dialog.get_by_role("button", name="Issue credit").click()
    page.locator("#dashboard-toast", has_text="Credit of $15.00 issued.").wait_for()
    shot(page, "security-02-dashboard-under-csp")

    # The messages tab's dialog, loaded by HTMX into a <dialog>.
    page.goto(f"{live_server.url}/customers/{customer.pk}/messages/")
    page.get_by_role("link", name="Send email").click()
    email = page.locator("#message-email-dialog")
    email.get_by_label("Subject").fill("Hello")
    email.get_by_label("Message").fill("Welcome aboard.")
    email.get_by_role("button", name="Send email").click()
    page.get_by_text("Email to accounts@northwind.test queued.").wait_for()

    # A confirmation (data-confirm, bound by app.js): dismissed keeps the contact, accepted removes it.
    page.goto(f"{live_server.url}/customers/{customer.pk}/contacts/")
    answers = iter([False, True])
    page.on(
        "dialog", lambda d: (page.dialogs.append(d.message), d.accept() if next(answers) else d.dismiss())
    )
    remove = page.get_by_role("button", name="Remove Maria Anders")
    remove.click()
    assert page.dialogs == ["Remove Maria Anders?"]
    assert Contact.objects.filter(customer=customer, name="Maria Anders").exists()
    remove.click()
    page.get_by_role("button", name="Remove Maria Anders").wait_for(state="detached")
    assert not Contact.objects.filter(customer=customer, name="Maria Anders").exists()

    assert page.violations == [], page.violations
    assert page.errors == [], page.errors


def test_the_api_docs_work_under_the_policy(watched, live_server, acme, shot):
    from accountdesk.api.api import api

    listing = api.get_openapi_schema()["paths"]["/api/v1/customers"]["get"]
    tag, operation_id = listing["tags"][0], listing["operationId"]
    page = watched
    sign_in(page, live_server, "/api/docs")
    page.wait_for_url(re.compile(r"/api/docs$"))

    # Swagger UI's deep link opens the customer list operation (on a fresh load of the page);
    # "Execute" then fetches from this server with the session. Swagger UI takes its time to read
    # the whole document on a busy machine: wait for it generously.
    page.goto("about:blank")
    page.goto(f"{live_server.url}/api/docs#/{tag}/{operation_id}")
    operation = page.locator(f"#operations-{tag}-{operation_id}")
    # The button is found at once, but Swagger UI keeps laying out the long document around it
    # (the deep link scrolls as operations render), so it may never count as "stable": wait until
    # it is shown, then press it.
    try_it = operation.get_by_role("button", name="Try it out")
    try_it.wait_for(state="visible", timeout=60_000)
    try_it.click(force=True)
    operation.get_by_role("button", name="Execute").click()
    operation.locator(".live-responses-table .response-col_status", has_text="200").wait_for()
    shot(page, "security-03-api-docs-under-csp")
    assert page.violations == [], page.violations
    assert page.errors == [], page.errors
