from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "accountdesk.customers"
    label = "customers"
