from django.urls import reverse


def test_it_offers_the_tabs_rows_as_files(client, agent, customer):
    client.force_login(agent)
    html = client.get(reverse("tabs:notes", args=[customer.pk])).content.decode()
    base = f"/api/v1/customers/{customer.pk}/notes/export?format="
    for fmt in ("csv", "xlsx", "pdf"):
        assert base + fmt in html
    assert "data-print" in html


def test_it_carries_the_tabs_filter_into_the_export(client, agent, customer):
    client.force_login(agent)
    html = client.get(
        reverse("tabs:servicedesk_tickets", args=[customer.pk]) + "?status=open"
    ).content.decode()
    assert f"/api/v1/customers/{customer.pk}/tickets/export?status=open&amp;format=csv" in html


def test_it_offers_nothing_on_the_dashboard(client, agent, customer):
    client.force_login(agent)
    assert "export-menu" not in client.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
