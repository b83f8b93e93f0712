"""The demo's billing history is one the product would have produced, and `accountdesk verify`
says so (read-only checks on one shared load)."""

import datetime as dt
import io
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from accountdesk.billing.models import BillingProfile, Invoice
from accountdesk.subscriptions.models import Subscription
from accountdesk.tenancy.models import Provider
from tests.demo.conftest import DEMO_NOW, load_demo

APPS = ["billing", "subscriptions"]


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo("--customers", "20", "--heavy", "1", "--seed", "7", apps=APPS)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def history_db(history, db):
    return history


def test_it_passes_verify(history_db):
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert out.getvalue().startswith("All hold: 40 customers of 2 providers checked")


def test_it_bills_every_active_subscription_up_to_its_next_bill_date(history_db):
    today = DEMO_NOW.date()
    active = Subscription.objects.filter(status="active").select_related("package")
    assert active.exists()
    for sub in active:
        keys = Invoice.objects.filter(source_key__startswith=f"subscription:{sub.pk}:")
        assert keys.filter(issued_on=sub.started_on).exists(), sub
        # Billed in advance through today: the next bill is the first period not billed, still to come.
        assert today < sub.next_bill_on <= today + dt.timedelta(days=366), sub


def test_it_bills_each_profile_on_its_billing_day_and_cycle(history_db):
    today = DEMO_NOW.date()
    for profile in BillingProfile.objects.exclude(next_bill_date=None):
        assert profile.next_bill_date > today
        assert profile.next_bill_date.day == profile.anchor_day, profile.customer
        days = sorted(
            set(Invoice.objects.filter(customer=profile.customer).values_list("issued_on", flat=True))
        )
        assert all(d.day == profile.anchor_day for d in days), profile.customer
        if profile.cycle == "monthly":
            assert all((b - a).days >= 28 for a, b in pairwise(days)), profile.customer


def test_it_keeps_the_heavy_accounts_heavy(history_db):
    for provider in Provider.objects.all():
        per_customer = Invoice.objects.filter(provider=provider).values("customer").annotate(n=Count("id"))
        counts = sorted(per_customer.values_list("n", flat=True))
        assert counts[-1] > 1000, provider
