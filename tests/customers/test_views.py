"""The customer pages: list and search, dashboard summary, status dialogs, create, archive."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountdesk.activity.models import Activity
from accountdesk.customers.models import (
    AlertDefinition,
    Customer,
    CustomFieldDefinition,
    ManualAlert,
    StatusChange,
)
from tests.factories import ContactFactory, CustomerFactory, GroupFactory, TagFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


# ---------- list and search ----------


def test_it_lists_only_the_providers_customers(client, agent, customer, foreign_customer):
    response = signed_in(client, agent).get(reverse("customers:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert customer.name in body
    assert foreign_customer.name not in body


def test_it_searches_by_contact_name(client, agent, provider):
    target = CustomerFactory(provider=provider, name="Alpha Ltd")
    CustomerFactory(provider=provider, name="Beta Ltd")
    ContactFactory(customer=target, name="Zelda Quartermaine")
    from accountdesk.customers.search_index import customer_search_refresh

    customer_search_refresh(target)
    body = signed_in(client, agent).get(reverse("customers:list"), {"q": "quartermaine"}).content.decode()
    assert "Alpha Ltd" in body and "Beta Ltd" not in body


def test_it_filters_by_status_group_and_tag(client, agent, provider):
    group = GroupFactory(provider=provider, name="Gold")
    tag = TagFactory(provider=provider, name="vip")
    gold = CustomerFactory(provider=provider, name="Gold One", group=group)
    gold.tags.add(tag)
    CustomerFactory(provider=provider, name="Blocked One", status="blocked")
    c = signed_in(client, agent)
    assert "Gold One" in c.get(reverse("customers:list"), {"group": group.pk}).content.decode()
    assert "Blocked One" not in c.get(reverse("customers:list"), {"group": group.pk}).content.decode()
    assert "Gold One" in c.get(reverse("customers:list"), {"tag": tag.pk}).content.decode()
    body = c.get(reverse("customers:list"), {"status": "blocked"}).content.decode()
    assert "Blocked One" in body and "Gold One" not in body


def test_it_hides_archived_customers_unless_asked(client, agent, provider):
    CustomerFactory(provider=provider, name="Archived Person", status="archived")
    c = signed_in(client, agent)
    assert "Archived Person" not in c.get(reverse("customers:list")).content.decode()
    assert "Archived Person" in c.get(reverse("customers:list"), {"archived": "1"}).content.decode()


@pytest.mark.parametrize(
    "params", [{"status": "bogus"}, {"group": "abc"}, {"tag": "-1"}, {"cursor": "%%%"}, {"q": "x" * 5000}]
)
def test_it_shrugs_off_bad_list_parameters(client, agent, customer, params):
    response = signed_in(client, agent).get(reverse("customers:list"), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Customers</h1>" in body
    # A filter it cannot read is dropped, so the list shows everyone; a search nobody matches is empty.
    if "q" in params:
        assert "Grace Hopper" not in body and "No customers" in body
    else:
        assert "Grace Hopper" in body


def test_it_pages_with_next_and_previous(client, agent, provider):
    for i in range(55):
        CustomerFactory(provider=provider, name=f"Person {i:03d}")
    c = signed_in(client, agent)
    first = c.get(reverse("customers:list"))
    assert first.context["next_url"] and first.context["prev_url"] is None
    second = c.get(reverse("customers:list") + first.context["next_url"])
    assert "Person 054" in second.content.decode() and "Person 000" not in second.content.decode()
    back = c.get(reverse("customers:list") + second.context["prev_url"])
    assert "Person 000" in back.content.decode()


def _bulk_customers(provider, count: int) -> None:
    Customer.objects.bulk_create(
        Customer(
            provider=provider,
            number=f"B-{i:06d}",
            name=f"Bulk {i:05d}",
            status="active",
            joined_on=dt.date(2021, 1, 1),
            search_text=f"bulk {i:05d}",
        )
        for i in range(count)
    )


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("customers:list"))
    assert response.status_code == 200
    return len(queries)


def test_it_spends_the_same_queries_for_10_and_1000_customers(client, agent, provider):
    c = signed_in(client, agent)
    _bulk_customers(provider, 10)
    few = _count_list_queries(c)
    _bulk_customers_more = Customer.objects.bulk_create(
        Customer(
            provider=provider,
            number=f"M-{i:06d}",
            name=f"More {i:05d}",
            status="active",
            joined_on=dt.date(2021, 1, 1),
        )
        for i in range(990)
    )
    assert len(_bulk_customers_more) == 990
    many = _count_list_queries(c)
    assert few == many
    # session, user (with provider), one page of customers, their tags, group and tag filter choices.
    assert many == 6


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------- dashboard summary ----------


def test_it_shows_the_account_summary(client, agent, customer):
    customer.service_latitude, customer.service_longitude = "51.500000", "-0.120000"
    customer.save()
    body = signed_in(client, agent).get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    assert customer.number in body and "openstreetmap.org/?mlat=51.500000" in body
    assert 'class="badge status-active"' in body


def test_it_answers_404_for_another_providers_customer(client, agent, foreign_customer):
    c = signed_in(client, agent)
    for name in (
        "tabs:dashboard",
        "tabs:customer_details",
        "tabs:contacts",
        "tabs:notes",
        "tabs:activity",
        "tabs:event_log",
        "tabs:custom_fields",
        "customers:status_history",
    ):
        assert c.get(reverse(name, args=[foreign_customer.pk])).status_code == 404, name
    response = c.post(
        reverse("customers:status_change", args=[foreign_customer.pk]), {"status": "blocked", "reason": "x"}
    )
    assert response.status_code == 404
    foreign_customer.refresh_from_db()
    assert foreign_customer.status == "active"


# ---------- status ----------


def test_it_blocks_a_customer_with_a_reason(client, agent, customer):
    response = signed_in(client, agent).post(
        reverse("customers:status_change", args=[customer.pk]), {"status": "blocked", "reason": "Unpaid"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == "blocked"
    change = StatusChange.objects.get(customer=customer, new="blocked")
    assert change.reason == "Unpaid" and change.actor == agent
    assert Activity.objects.filter(customer=customer, kind="customer.status_changed", actor=agent).exists()


def test_it_answers_htmx_with_a_redirect_header(client, agent, customer):
    response = signed_in(client, agent).post(
        reverse("customers:status_change", args=[customer.pk]),
        {"status": "blocked", "reason": "Unpaid"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("tabs:dashboard", args=[customer.pk])


def test_it_asks_for_a_reason_to_block(client, agent, customer):
    response = signed_in(client, agent).post(
        reverse("customers:status_change", args=[customer.pk]), {"status": "blocked", "reason": ""}
    )
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    customer.refresh_from_db()
    assert customer.status == "active"


@pytest.mark.parametrize("status", ["archived", "bogus", "active", ""])
def test_it_rejects_statuses_not_offered(client, agent, customer, status):
    response = signed_in(client, agent).post(
        reverse("customers:status_change", args=[customer.pk]), {"status": status, "reason": "r"}
    )
    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.status == "active"


@pytest.mark.parametrize("role", ["readonly", "technician", "billing"])
def test_it_forbids_status_changes_to_roles_without_the_permission(client, staff, customer, role):
    c = signed_in(client, staff[role])
    response = c.post(
        reverse("customers:status_change", args=[customer.pk]), {"status": "blocked", "reason": "x"}
    )
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.status == "active"
    page = c.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    assert "Change status" not in page


def test_it_shows_the_status_history_with_who_and_why(client, agent, customer):
    c = signed_in(client, agent)
    c.post(
        reverse("customers:status_change", args=[customer.pk]), {"status": "blocked", "reason": "Fraud check"}
    )
    body = c.get(reverse("customers:status_history", args=[customer.pk]), headers={"HX-Request": "true"})
    text = body.content.decode()
    assert "Fraud check" in text and agent.display_name in text and "status-blocked" in text


# ---------- create ----------


def test_it_creates_a_customer(client, agent, provider):
    response = signed_in(client, agent).post(
        reverse("customers:create"), {"name": "New Person", "type": "residential", "status": "active"}
    )
    assert response.status_code == 302
    created = Customer.objects.get(provider=provider, name="New Person")
    assert response["Location"] == reverse("tabs:dashboard", args=[created.pk])


def test_it_rejects_a_bad_new_customer(client, agent, provider):
    response = signed_in(client, agent).post(
        reverse("customers:create"), {"name": "", "type": "alien", "email": "not-an-email"}
    )
    assert response.status_code == 400
    assert not Customer.objects.filter(provider=provider).exists()


def test_it_forbids_creating_customers_to_technicians(client, staff, provider):
    c = signed_in(client, staff["technician"])
    assert c.get(reverse("customers:create")).status_code == 403
    assert c.post(reverse("customers:create"), {"name": "X", "type": "residential"}).status_code == 403
    assert "New customer" not in c.get(reverse("customers:list")).content.decode()


def test_it_refuses_another_providers_group_on_create(client, agent, provider, other_provider):
    foreign_group = GroupFactory(provider=other_provider)
    response = signed_in(client, agent).post(
        reverse("customers:create"),
        {"name": "X", "type": "residential", "status": "active", "group": foreign_group.pk},
    )
    assert response.status_code == 400
    assert not Customer.objects.filter(provider=provider).exists()


# ---------- archive ----------


def test_it_lets_admins_archive_and_undo(client, admin, customer):
    c = signed_in(client, admin)
    assert (
        c.post(reverse("customers:archive", args=[customer.pk]), {"reason": "Duplicate"}).status_code == 302
    )
    customer.refresh_from_db()
    assert customer.status == "archived"
    assert c.post(reverse("customers:unarchive", args=[customer.pk])).status_code == 302
    customer.refresh_from_db()
    assert customer.status == "active"


def test_it_forbids_archiving_to_agents(client, agent, customer):
    response = signed_in(client, agent).post(
        reverse("customers:archive", args=[customer.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.status == "active"


def test_it_needs_a_reason_to_archive(client, admin, customer):
    response = signed_in(client, admin).post(reverse("customers:archive", args=[customer.pk]), {"reason": ""})
    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.status == "active"


# ---------- alerts ----------


def test_it_dismisses_a_manual_alert(client, agent, customer):
    c = signed_in(client, agent)
    c.post(
        reverse("customers:alert_add", args=[customer.pk]),
        {"level": "warning", "message": "Call before visit"},
    )
    alert = ManualAlert.objects.get(customer=customer)
    assert "Call before visit" in c.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    c.post(reverse("customers:alert_dismiss", args=[customer.pk, alert.pk]))
    alert.refresh_from_db()
    assert alert.dismissed_at is not None


def test_it_does_not_dismiss_another_customers_alert(client, agent, customer, provider):
    other = CustomerFactory(provider=provider)
    c = signed_in(client, agent)
    c.post(reverse("customers:alert_add", args=[other.pk]), {"level": "info", "message": "Other"})
    alert = ManualAlert.objects.get(customer=other)
    assert c.post(reverse("customers:alert_dismiss", args=[customer.pk, alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.dismissed_at is None


# ---------- the frame every customer tab shares ----------


def test_the_frame_is_one_statement_whatever_rules_the_banners_have(client, agent, provider, customer):
    c = signed_in(client, agent)
    url = reverse("tabs:contacts", args=[customer.pk])
    c.get(url)  # warm the session

    def reads():
        with CaptureQueriesContext(connection) as queries:
            body = c.get(url).content.decode()
        return len(queries), body

    plain, _ = reads()
    customer.tags.add(TagFactory(provider=provider, name="vip"))
    field = CustomFieldDefinition.objects.create(provider=provider, name="Segment")
    customer.custom_values.create(provider=provider, definition=field, value="Gold")
    rules = [("has_tag", "vip", "Treat as VIP"), ("custom_field_is", "segment=gold", "Gold")]
    for rule, value, text in rules:
        AlertDefinition.objects.create(provider=provider, name=text, rule=rule, value=value, message=text)
    with_rules, body = reads()
    assert with_rules == plain
    assert "Treat as VIP" in body and "Gold" in body


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "//evil.example/", "http://testserver/customers/"])
@pytest.mark.parametrize("htmx", [True, False])
def test_dismissing_an_alert_returns_only_to_a_page_of_this_site(client, agent, customer, bad, htmx):
    c = signed_in(client, agent)
    c.post(reverse("customers:alert_add", args=[customer.pk]), {"level": "info", "message": "Gate code 42"})
    alert = ManualAlert.objects.get(customer=customer)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("customers:alert_dismiss", args=[customer.pk, alert.pk])
    response = c.post(url, {"next": bad}, **headers)
    target = response["HX-Redirect"] if htmx else response["Location"]
    assert target == reverse("tabs:dashboard", args=[customer.pk])
