from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "accountdesk.billing"
    label = "billing"
