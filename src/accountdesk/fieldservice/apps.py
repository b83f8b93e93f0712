from django.apps import AppConfig


class FieldserviceConfig(AppConfig):
    name = "accountdesk.fieldservice"
    label = "fieldservice"
