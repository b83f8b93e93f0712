"""Actions taken from the dashboard: each records its change and its activity, answers with only
the sections it changed, re-renders its dialog with inline errors on bad input, and changes
nothing for a role that may not take it or a provider without the module."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import entry_summary
from accountdesk.billing.models import Credit, Payment
from accountdesk.fieldservice.models import Job
from accountdesk.messaging.models import Message
from accountdesk.notes.models import Note
from accountdesk.servicedesk.models import Ticket
from tests.dashboard.builders import busy_customer, new_customer
from tests.factories import ContactFactory

GOOD = {
    "credit": {"amount": "12.50", "reason": "Outage on the 3rd"},
    "payment": {"amount": "30.00", "method": "card", "reference": "R-1"},
    "note": {"body": "Called about the router."},
    "email": {"to": "someone@example.test", "subject": "Your account", "body": "Hello."},
    "sms": {"to": "+1 555 0100", "body": "Your technician is on the way."},
    "ticket": {"subject": "No connection", "description": "Since this morning", "priority": "high"},
    "job": {"kind": "repair", "scheduled_start": "2025-02-03T09:30", "description": "Replace the ONT"},
}
BAD = {
    "credit": ({"amount": "1e3", "reason": "x"}, "amount"),
    "payment": ({"amount": "-5", "method": "card"}, "amount"),
    "note": ({"body": "   "}, "body"),
    "email": ({"to": "not-an-address", "subject": "Hi", "body": "Hello"}, "to"),
    "sms": ({"to": "call me", "body": "Hello"}, "to"),
    "ticket": ({"subject": "", "priority": "normal"}, "subject"),
    "job": ({"kind": "demolition"}, "kind"),
}
# What each action changes, and so the only sections its answer carries.
REFRESHED = {
    "credit": {"metrics", "activity"},
    "payment": {"metrics", "invoices", "payments", "activity"},
    "note": {"notes", "activity"},
    "email": {"activity"},
    "sms": {"activity"},
    "ticket": {"service_requests", "notes", "activity"},
    "job": {"metrics", "activity"},
}
RECORDS = {
    "credit": lambda c: Credit.objects.filter(customer=c, origin="issued").count(),
    "payment": lambda c: Payment.objects.filter(customer=c).count(),
    "note": lambda c: Note.objects.filter(customer=c).count(),
    "email": lambda c: Message.objects.filter(customer=c, channel="email").count(),
    "sms": lambda c: Message.objects.filter(customer=c, channel="sms").count(),
    "ticket": lambda c: Ticket.objects.filter(customer=c).count(),
    "job": lambda c: Job.objects.filter(customer=c).count(),
}
KINDS = {
    "credit": "credit.issued",
    "payment": "payment.recorded",
    "note": "note.added",
    "email": "message.email_sent",
    "sms": "message.sms_sent",
    "ticket": "ticket.opened",
    "job": "job.created",
}
# Who may take each action (admin may take them all).
ALLOWED = {
    "credit": {"admin", "billing", "agent"},
    "payment": {"admin", "billing"},
    "note": {"admin", "billing", "agent", "technician"},
    "email": {"admin", "billing", "agent"},
    "sms": {"admin", "billing", "agent"},
    "ticket": {"admin", "agent"},
    "job": {"admin", "agent", "technician"},
}
ROLES = ["admin", "billing", "agent", "technician", "readonly"]
HX = {"HX-Request": "true"}


def action_url(customer, action: str) -> str:
    return reverse("tabs:dashboard_action", args=[customer.pk, action])


def snapshot(customer) -> dict:
    counts = {action: count(customer) for action, count in RECORDS.items()}
    counts["activity"] = Activity.objects.filter(customer=customer).count()
    return counts


def oob_sections(html: str) -> set[str]:
    return set(re.findall(r'id="dash-([a-z_]+)"[^>]*hx-swap-oob="true"', html))


@pytest.fixture
def account(provider, staff):
    customer = busy_customer(provider, staff)
    customer.email, customer.phone = "owner@example.test", "+1 555 0199"
    customer.save()
    _reachable_at_the_good_addresses(customer)
    return customer


def _reachable_at_the_good_addresses(customer) -> None:
    """Messages go only to the customer's own addresses: GOOD's are a contact's."""
    ContactFactory(customer=customer, name="Someone", email=GOOD["email"]["to"], phone=GOOD["sms"]["to"])


@pytest.mark.parametrize("action", sorted(GOOD))
def test_it_takes_the_action_and_refreshes_only_what_it_changed(client, staff, account, action):
    client.force_login(staff["admin"])
    before = snapshot(account)
    response = client.post(action_url(account, action), GOOD[action], headers=HX)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert oob_sections(html) == REFRESHED[action]
    event = json.loads(response["HX-Trigger-After-Settle"])["dashboard-done"]
    assert event["message"] and event["message"] in html
    assert RECORDS[action](account) == before[action] + 1
    latest = Activity.objects.filter(customer=account).order_by("-at", "-id").first()
    assert latest.kind == KINDS[action] and latest.actor == staff["admin"]
    # The refreshed activity section already shows the new entry.
    assert escape(entry_summary(latest, viewer=staff["admin"])) in html


def test_it_shows_the_new_credit_in_the_refreshed_metrics(client, staff, account):
    client.force_login(staff["agent"])
    html = client.post(action_url(account, "credit"), {"amount": "12.50", "reason": "Outage"}, headers=HX)
    # 10.00 of credit was already there (see builders.busy_customer).
    assert "$22.50" in html.content.decode()


def test_it_pays_invoices_and_refreshes_their_balances(client, staff, account):
    client.force_login(staff["billing"])
    html = client.post(action_url(account, "payment"), GOOD["payment"], headers=HX).content.decode()
    assert "$30.00" in html[html.index('id="dash-payments"') :]
    payment = Payment.objects.filter(customer=account).order_by("-id").first()
    assert payment.amount == Decimal("30.00") and payment.reference == "R-1"


def test_it_sends_the_email_after_commit(client, staff, account, django_capture_on_commit_callbacks):
    client.force_login(staff["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(account, "email"), GOOD["email"], headers=HX)
    assert [m.to for m in mail.outbox] == [["someone@example.test"]]


def test_it_folds_the_new_ticket_into_the_notes_when_they_include_tickets(client, provider, staff):
    customer = new_customer(provider)
    client.force_login(staff["agent"])
    data = {**GOOD["ticket"], "include_tickets": "1"}
    html = client.post(action_url(customer, "ticket"), data, headers=HX).content.decode()
    notes = html[html.index('id="dash-notes"') :]
    assert "No connection" in notes[: notes.index("</section>")]


@pytest.mark.parametrize("action", sorted(BAD))
def test_it_shows_bad_input_inline_and_records_nothing(client, staff, account, action):
    client.force_login(staff["admin"])
    before = snapshot(account)
    data, field = BAD[action]
    response = client.post(action_url(account, action), data, headers=HX)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and 'class="field has-error"' in html
    assert "hx-swap-oob" not in html and "HX-Trigger-After-Settle" not in response
    assert snapshot(account) == before


@pytest.mark.parametrize("junk", ["12.345", "0", "abc", "NaN", "99999999999", ""])
def test_it_refuses_bad_amounts(client, staff, account, junk):
    client.force_login(staff["billing"])
    before = snapshot(account)
    for action in ("credit", "payment"):
        data = {**GOOD[action], "amount": junk}
        assert client.post(action_url(account, action), data, headers=HX).status_code == 400
    assert snapshot(account) == before


def test_it_tells_an_agent_the_credit_limit_in_the_dialog(client, staff, account):
    client.force_login(staff["agent"])
    before = snapshot(account)
    form = client.get(action_url(account, "credit"), headers=HX).content.decode()
    assert "Your role may issue up to $50.00 at a time." in form
    response = client.post(
        action_url(account, "credit"), {"amount": "50.01", "reason": "Goodwill"}, headers=HX
    )
    assert response.status_code == 400
    assert "at most $50.00 of credit" in response.content.decode()
    assert snapshot(account) == before


@pytest.mark.parametrize("action,role", [(a, r) for a in sorted(GOOD) for r in ROLES if r not in ALLOWED[a]])
def test_it_refuses_roles_without_the_permission(client, staff, account, action, role):
    client.force_login(staff[role])
    before = snapshot(account)
    assert client.get(action_url(account, action), headers=HX).status_code == 403
    assert client.post(action_url(account, action), GOOD[action], headers=HX).status_code == 403
    assert snapshot(account) == before


@pytest.mark.parametrize("action,module", [("ticket", "service_desk"), ("job", "field_service")])
def test_it_answers_404_without_the_module(client, provider, staff, account, action, module):
    setattr(provider, module, False)
    provider.save()
    client.force_login(staff["admin"])
    before = snapshot(account)
    assert client.get(action_url(account, action), headers=HX).status_code == 404
    assert client.post(action_url(account, action), GOOD[action], headers=HX).status_code == 404
    assert snapshot(account) == before


@pytest.mark.parametrize("action", sorted(GOOD))
def test_it_answers_404_for_another_providers_customer(client, staff, foreign_customer, action):
    client.force_login(staff["admin"])
    before = snapshot(foreign_customer)
    assert client.post(action_url(foreign_customer, action), GOOD[action], headers=HX).status_code == 404
    assert snapshot(foreign_customer) == before


def test_it_answers_404_for_an_unknown_action(client, staff, account):
    client.force_login(staff["admin"])
    assert client.get(action_url(account, "delete"), headers=HX).status_code == 404


def test_it_refuses_another_providers_technician_for_the_job(client, staff, account, other_provider):
    from tests.factories import UserFactory

    stranger = UserFactory(provider=other_provider, role="technician")
    client.force_login(staff["admin"])
    before = snapshot(account)
    data = {**GOOD["job"], "technician": str(stranger.pk)}
    assert client.post(action_url(account, "job"), data, headers=HX).status_code == 400
    assert snapshot(account) == before


def test_it_works_without_javascript(client, staff, account):
    client.force_login(staff["agent"])
    page = client.get(action_url(account, "note"))
    assert page.status_code == 200 and "Add a note" in page.content.decode()
    response = client.post(action_url(account, "note"), GOOD["note"])
    assert response.status_code == 302
    assert response["Location"] == reverse("tabs:dashboard", args=[account.pk])


@pytest.mark.parametrize("action,role", [(a, r) for a in sorted(GOOD) for r in sorted(ALLOWED[a])])
def test_it_lets_each_allowed_role_take_the_action(client, staff, customer, action, role):
    client.force_login(staff[role])
    _reachable_at_the_good_addresses(customer)
    before = RECORDS[action](customer)
    assert client.get(action_url(customer, action), headers=HX).status_code == 200
    assert client.post(action_url(customer, action), GOOD[action], headers=HX).status_code == 200
    assert RECORDS[action](customer) == before + 1


def test_the_metrics_show_what_is_left_to_pay_beside_unapplied_credit(client, staff, account):
    from accountdesk.billing.models import AccountSummary

    client.force_login(staff["agent"])
    html = client.post(action_url(account, "credit"), {"amount": "12.50", "reason": "Outage"}, headers=HX)
    summary = AccountSummary.objects.get(customer=account)
    assert summary.total_due > summary.account_credit == Decimal("22.50")
    net = f"${summary.total_due - summary.account_credit:,.2f}"
    text = re.sub(r"<[^>]+>", "", html.content.decode())
    assert (
        f"Less credit: {net} to pay (the open invoices less $22.50 of account credit not yet applied)" in text
    )
    document = client.get(f"/api/v1/customers/{account.pk}/dashboard").json()
    assert document["metrics"]["net_due"] == f"{summary.total_due - summary.account_credit:.2f}"


def test_an_agent_above_the_30_day_limit_is_told_the_credit_awaits_approval(client, staff, account):
    from accountdesk.billing.models import CreditRequest

    account.provider.agent_credit_limit_30d = Decimal("60.00")
    account.provider.save()
    client.force_login(staff["agent"])
    form = client.get(action_url(account, "credit"), headers=HX).content.decode()
    assert "You may credit this customer $60.00 more over 30 days" in form
    ok = client.post(action_url(account, "credit"), {"amount": "50.00", "reason": "Outage"}, headers=HX)
    assert ok.status_code == 200
    before = Credit.objects.filter(customer=account).count()
    response = client.post(action_url(account, "credit"), {"amount": "20.00", "reason": "Again"}, headers=HX)
    assert response.status_code == 200
    message = json.loads(response["HX-Trigger-After-Settle"])["dashboard-done"]["message"]
    assert "awaits approval" in message and "above the limit of $60.00" in message
    assert Credit.objects.filter(customer=account).count() == before
    assert CreditRequest.objects.get(customer=account).amount == Decimal("20.00")


PAST_START = "This start is in the past. Book a future time, or record it as completed work."


def test_the_job_dialog_refuses_a_start_in_the_past_and_books_nothing(client, staff, account):
    client.force_login(staff["agent"])
    before = snapshot(account)
    data = {"kind": "repair", "scheduled_start": "2020-02-03T09:30", "description": "Old visit"}
    response = client.post(action_url(account, "job"), data, headers=HX)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_scheduled_start_error"' in html and escape(PAST_START) in html
    assert 'name="completed"' in html
    assert snapshot(account) == before


def test_the_job_dialog_records_past_work_as_completed_and_not_open(client, staff, account):
    client.force_login(staff["agent"])
    open_jobs = Job.objects.filter(customer=account).exclude(status__in=["completed", "cancelled"])
    open_before = open_jobs.count()
    data = {"kind": "repair", "scheduled_start": "2025-01-20T09:30", "completed": "on", "description": "Done"}
    response = client.post(action_url(account, "job"), data, headers=HX)
    assert response.status_code == 200, response.content.decode()[:2000]
    job = Job.objects.filter(customer=account).order_by("-id").first()
    assert job.status == "completed" and job.scheduled_start.date() == dt.date(2025, 1, 20)
    event = json.loads(response["HX-Trigger-After-Settle"])["dashboard-done"]
    assert "recorded as completed" in event["message"]
    assert open_jobs.count() == open_before


def test_the_job_dialog_books_a_job_for_later_today(client, staff, account):
    client.force_login(staff["agent"])
    data = {"kind": "repair", "scheduled_start": "2025-01-31T08:00", "description": "This morning"}
    assert client.post(action_url(account, "job"), data, headers=HX).status_code == 200
    assert Job.objects.filter(customer=account).order_by("-id").first().status == "scheduled"


def test_the_payment_dialog_refuses_a_payment_received_in_the_future(client, staff, account):
    client.force_login(staff["billing"])
    before = snapshot(account)
    data = {**GOOD["payment"], "received_on": "2030-01-01"}
    response = client.post(action_url(account, "payment"), data, headers=HX)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_received_on_error"' in html and "A payment cannot be received in the future." in html
    assert snapshot(account) == before
