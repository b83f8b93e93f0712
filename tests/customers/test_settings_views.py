"""Settings > Custom fields, Alert banners, Groups and Tags: the pages the customers app serves."""

import pytest
from django.urls import reverse

from accountdesk.customers.models import AlertDefinition, CustomerGroup, CustomFieldDefinition, Tag
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_it_manages_groups_and_tags(client, admin, provider, customer):
    c = admin_client(client, admin)
    c.post(reverse("settings:groups"), {"name": "Gold"})
    group = CustomerGroup.objects.get(provider=provider, name="Gold")
    assert c.post(reverse("settings:groups"), {"name": "gold"}).status_code == 400  # same name
    c.post(reverse("settings:group_edit", args=[group.pk]), {"name": "Platinum"})
    group.refresh_from_db()
    assert group.name == "Platinum"
    customer.group = group
    customer.save()
    c.post(reverse("settings:catalogue_delete", args=["groups", group.pk]))
    assert CustomerGroup.objects.filter(pk=group.pk).exists()  # in use: kept
    c.post(reverse("settings:tags"), {"name": "vip"})
    tag = Tag.objects.get(provider=provider, name="vip")
    c.post(reverse("settings:catalogue_delete", args=["tags", tag.pk]))
    assert not Tag.objects.filter(pk=tag.pk).exists()


def test_it_defines_custom_fields_and_alert_rules(client, admin, provider, customer):
    c = admin_client(client, admin)
    data = {
        "name": "Tier",
        "kind": "choice",
        "choices": "gold\nsilver",
        "show_on_overview": "on",
        "position": "1",
    }
    assert c.post(reverse("settings:custom_fields"), data).status_code == 302
    assert CustomFieldDefinition.objects.get(provider=provider).choices == ["gold", "silver"]
    bad = {"name": "Empty", "kind": "choice", "choices": "", "position": "0"}
    assert c.post(reverse("settings:custom_fields"), bad).status_code == 400
    rule = {
        "name": "Blocked",
        "rule": "status_is",
        "value": "blocked",
        "level": "danger",
        "message": "Account blocked: check before helping",
        "is_active": "on",
    }
    assert c.post(reverse("settings:alerts"), rule).status_code == 302
    assert c.post(reverse("settings:alerts"), {**rule, "value": "sleepy"}).status_code == 400
    assert AlertDefinition.objects.filter(provider=provider).count() == 1
    customer.status = "blocked"
    customer.save()
    page = c.get(reverse("tabs:dashboard", args=[customer.pk])).content.decode()
    assert "Account blocked: check before helping" in page and "banner-danger" in page


def test_it_asks_before_deleting_a_group_or_a_tag(client, admin, provider):
    c = admin_client(client, admin)
    tag = TagFactory(provider=provider, name="vip")
    listing = c.get(reverse("settings:tags")).content.decode()
    confirm_url = reverse("settings:catalogue_delete", args=["tags", tag.pk])
    assert f'href="{confirm_url}"' in listing  # the list links to the question, it does not delete
    page = c.get(confirm_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Delete the tag “vip”?" in html and 'method="post"' in html
    assert "<script" not in html.split("</head>", 1)[1] and "onclick" not in html
    assert Tag.objects.filter(pk=tag.pk).exists()  # asking deletes nothing
    assert c.post(confirm_url).status_code == 302
    assert not Tag.objects.filter(pk=tag.pk).exists()
