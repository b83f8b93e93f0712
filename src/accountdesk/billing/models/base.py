"""What every billing model shares: the money column and the append-only refusal."""

from django.db import models

from accountdesk.core.money import MONEY_MAX_DIGITS, MONEY_PLACES


def money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


class AppendOnly(Exception):
    pass
