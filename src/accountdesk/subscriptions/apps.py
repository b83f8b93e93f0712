from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "accountdesk.subscriptions"
    label = "subscriptions"
