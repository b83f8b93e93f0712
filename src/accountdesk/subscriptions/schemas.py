import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.core.money import to_str
from accountdesk.core.schemas import DateIn
from accountdesk.core.visibility import Money, money_fields
from accountdesk.subscriptions.models import Package, Subscription


class PackageOut(Schema):
    id: int
    name: str
    price: Money
    frequency: str
    usage_allowance: int | None
    usage_unit: str | None
    active: bool


@money_fields("price")
def package_out(package: Package) -> dict:
    return {
        "id": package.pk,
        "name": package.name,
        "price": to_str(package.price),
        "frequency": package.frequency,
        "usage_allowance": package.usage_allowance,
        "usage_unit": package.usage_unit,
        "active": package.active,
    }


class PackageIn(Schema):
    name: str = Field(..., max_length=120)
    price: str = Field(..., max_length=20)
    frequency: str = Field("monthly", max_length=10)
    usage_allowance: int | None = Field(None, ge=1, le=2**62)
    usage_unit: str | None = Field(None, max_length=10)


class SubscriptionOut(Schema):
    id: int
    package: str
    status: str
    started_on: dt.date
    price: Money
    next_bill_on: dt.date | None
    package_id: int
    frequency: str
    ends_on: dt.date | None
    cancelled_on: dt.date | None


@money_fields("price")
def subscription_out(subscription: Subscription) -> dict:
    return {
        "id": subscription.pk,
        "package": subscription.package.name,
        "status": subscription.status,
        "started_on": subscription.started_on,
        "price": to_str(subscription.price),
        "next_bill_on": subscription.next_bill_on,
        "package_id": subscription.package_id,
        "frequency": subscription.package.frequency,
        "ends_on": subscription.ends_on,
        "cancelled_on": subscription.cancelled_on,
    }


class SubscriptionIn(Schema):
    package_id: int
    started_on: DateIn
    ends_on: DateIn | None = None
    price: str | None = Field(None, max_length=20)


class SubscriptionChangeIn(Schema):
    package_id: int | None = None
    price: str | None = Field(None, max_length=20)


class SubscriptionSuspendIn(Schema):
    reason: str = Field("", max_length=500)


class SubscriptionCancelIn(Schema):
    ends_on: DateIn | None = None
    reason: str = Field("", max_length=500)
