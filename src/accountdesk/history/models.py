"""Monthly snapshots of a customer's money state, so that the account as of any date is the
snapshot of its month plus a replay of at most one month of the ledger."""

from django.db import models

from accountdesk.billing.models import money_field
from accountdesk.tenancy.models import Provider


class MoneySnapshot(models.Model):
    """A customer's books at local midnight starting `month` (its first day): the ledger balance,
    what has been paid in all, and every invoice open then as [id, balance, due on].

    Everything the ledger records is dated when it is written and never changes afterwards, so a
    snapshot of a month that has begun never goes stale; they are written the first time a date in
    their month is asked for (history.money.money_as_of)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    ledger_balance = money_field()
    lifetime_value = money_field()
    open_invoices = models.JSONField(default=list)
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "month"], name="money_snapshot_month")]
