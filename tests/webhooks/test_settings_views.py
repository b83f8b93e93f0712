"""Settings > Webhooks: admins list, add (the secret shown once), edit, rotate, enable, delete, and
read each endpoint's delivery log with its attempts and a Replay button."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountdesk.webhooks import services
from accountdesk.webhooks.models import Attempt, Delivery, Endpoint
from tests.webhooks.history import grow_endpoints, grow_log

pytestmark = pytest.mark.django_db
URL = "/settings/webhooks/"


@pytest.fixture
def signed_in(client, admin, resolve_to):
    client.force_login(admin)
    return client


def test_it_lives_at_settings_webhooks():
    assert reverse("settings:webhooks") == URL
    assert reverse("settings:webhook", args=[7]) == f"{URL}7/"
    assert reverse("settings:webhook_replay", args=[7, 9]) == f"{URL}7/deliveries/9/replay/"


def test_it_is_in_the_settings_menu(signed_in):
    assert f'href="{URL}"' in signed_in.get(reverse("settings:overview")).content.decode()


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_admins_see_it(client, staff, role, make_endpoint, resolve_to):
    endpoint = make_endpoint()
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{endpoint.pk}/").status_code == 403
    assert client.post(f"{URL}{endpoint.pk}/remove/").status_code == 403
    assert Endpoint.objects.count() == 1


def test_it_says_so_when_there_are_none(signed_in):
    page = signed_in.get(URL).content.decode()
    assert "No webhook endpoints yet." in page
    assert 'value="invoice.approved"' in page and "Events may arrive out of order" in page


def test_adding_shows_the_secret_once(signed_in, provider):
    response = signed_in.post(
        URL,
        {
            "url": "https://hooks.example.com/in",
            "events": ["payment.recorded", "customer.created"],
            "description": "CRM",
        },
    )
    assert response.status_code == 201
    endpoint = Endpoint.objects.get(provider=provider)
    page = response.content.decode()
    assert f'value="{endpoint.secret}"' in page and "it will not be shown again" in page
    assert endpoint.events == ["customer.created", "payment.recorded"] and endpoint.description == "CRM"
    for later in (signed_in.get(URL), signed_in.get(f"{URL}{endpoint.pk}/")):
        assert endpoint.secret not in later.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"url": "ftp://hooks.example.com/", "events": ["customer.created"]},
            "Use an http:// or https:// URL.",
        ),
        ({"url": "http://10.0.0.8/in", "events": ["customer.created"]}, "10.0.0.8, a private address."),
        ({"url": "https://hooks.example.com/", "events": []}, "Choose at least one event."),
        ({"url": "https://hooks.example.com/", "events": ["invoice.paid"]}, "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_inline_and_nothing_is_made(signed_in, data, error):
    response = signed_in.post(URL, data)
    assert response.status_code == 400 and error in response.content.decode()
    assert not Endpoint.objects.exists()


def test_it_lists_only_this_providers_endpoints(signed_in, make_endpoint, other_provider):
    from accountdesk.core.actors import Actor
    from tests.factories import UserFactory

    mine = make_endpoint(url="https://mine.example.com/in")
    services.endpoint_create(
        provider=other_provider,
        url="https://theirs.example.com/",
        events=["credit.issued"],
        actor=Actor.staff(UserFactory(provider=other_provider, role="admin")),
    )
    page = signed_in.get(URL).content.decode()
    assert "https://mine.example.com/in" in page and "theirs.example.com" not in page
    theirs = Endpoint.objects.get(provider=other_provider)
    assert signed_in.get(f"{URL}{theirs.pk}/").status_code == 404
    assert signed_in.post(f"{URL}{theirs.pk}/remove/").status_code == 404
    assert mine.pk != theirs.pk and Endpoint.objects.count() == 2


def test_it_edits_an_endpoint(signed_in, make_endpoint):
    endpoint = make_endpoint(events=["customer.created"])
    form = signed_in.get(f"{URL}{endpoint.pk}/").content.decode()
    assert 'value="customer.created" checked' in form and f'value="{endpoint.url}"' in form
    response = signed_in.post(
        f"{URL}{endpoint.pk}/", {"url": endpoint.url, "events": ["ticket.closed"], "description": "Desk"}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == ["ticket.closed"] and endpoint.description == "Desk"


def test_rotating_asks_first_then_shows_the_new_secret_once(signed_in, make_endpoint):
    endpoint = make_endpoint()
    old = endpoint.secret
    assert "Rotate the signing secret" in signed_in.get(f"{URL}{endpoint.pk}/rotate/").content.decode()
    assert Endpoint.objects.get().secret == old
    response = signed_in.post(f"{URL}{endpoint.pk}/rotate/")
    endpoint.refresh_from_db()
    assert response.status_code == 201 and endpoint.secret != old
    assert f'value="{endpoint.secret}"' in response.content.decode()


def test_a_disabled_endpoint_is_enabled_again(signed_in, make_endpoint, admin):
    from accountdesk.core.actors import Actor

    endpoint = make_endpoint()
    services.endpoint_update(endpoint=endpoint, enabled=False, actor=Actor.staff(admin))
    page = signed_in.get(f"{URL}{endpoint.pk}/").content.decode()
    assert "Enable again" in page and "Disabled by" in page
    assert signed_in.post(f"{URL}{endpoint.pk}/enable/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.enabled
    # Enabling what is on is refused inline.
    assert signed_in.post(f"{URL}{endpoint.pk}/enable/").status_code == 400


def test_deleting_asks_first(signed_in, make_endpoint):
    endpoint = make_endpoint()
    assert "This cannot be undone." in signed_in.get(f"{URL}{endpoint.pk}/remove/").content.decode()
    response = signed_in.post(f"{URL}{endpoint.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == URL
    assert not Endpoint.objects.exists()


def test_the_log_shows_each_delivery_with_its_attempts_and_replays_one(
    signed_in, make_endpoint, provider, django_capture_on_commit_callbacks, monkeypatch
):
    endpoint = make_endpoint()
    grow_log(endpoint, 2, attempts_each=2)
    delivery = Delivery.objects.order_by("-created_at").first()
    page = signed_in.get(f"{URL}{endpoint.pk}/").content.decode()
    assert page.count('data-delivery="') == 2 and page.count('data-attempt="') == 4
    assert delivery.event_id in page and "500" in page and "12 ms" in page
    replay = f"{URL}{endpoint.pk}/deliveries/{delivery.pk}/replay/"
    assert f'action="{replay}"' in page
    sent = []
    monkeypatch.setattr(services, "delivery_attempt", lambda *, delivery_id: sent.append(delivery_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(replay)
    assert response.status_code == 302 and sent == [delivery.pk]
    delivery.refresh_from_db()
    assert delivery.is_pending and delivery.tries == 0
    other = make_endpoint(url="https://other.example.com/")
    assert signed_in.post(f"{URL}{other.pk}/deliveries/{delivery.pk}/replay/").status_code == 404


def _open(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


# The session and its user (2), then the page's reads: the endpoints; or the endpoint, a page of its
# deliveries and their latest attempts.
PAGES = {"list": 3, "endpoint": 5}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_costs_the_same_for_a_short_and_a_long_history(signed_in, make_endpoint, provider, page):
    endpoint = make_endpoint()
    url = URL if page == "list" else f"{URL}{endpoint.pk}/"
    grow_log(endpoint, 2)
    grow_endpoints(provider, 2)
    small, _ = _open(signed_in, url)
    grow_log(endpoint, 60, attempts_each=12)
    grow_endpoints(provider, 150)
    large, html = _open(signed_in, url)
    assert small == large == PAGES[page]
    if page == "endpoint":
        assert html.count('data-delivery="') == 25 and 'rel="next"' in html
        assert len(re.findall(r'data-attempt="', html)) == 25 * 10  # the latest ten of each
        assert Attempt.objects.count() == 2 * 3 + 60 * 12
    else:
        assert html.count('data-endpoint="') == 100
