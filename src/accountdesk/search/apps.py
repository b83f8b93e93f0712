from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "accountdesk.search"
    label = "search"
