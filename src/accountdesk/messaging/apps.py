from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "accountdesk.messaging"
    label = "messaging"
