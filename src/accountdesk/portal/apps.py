from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "accountdesk.portal"
    label = "portal"
