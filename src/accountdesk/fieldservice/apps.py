from django.apps import AppConfig


class FieldserviceConfig(AppConfig):
    name = "accountdesk.fieldservice"
    label = "fieldservice"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab
        from accountdesk.fieldservice import kinds  # noqa: F401  (registers the activity kinds)

        module = "field_service"
        register_tab("jobs", "Jobs", "tabs:fieldservice_jobs", group="work", order=150, module=module)
        register_tab(
            "future_jobs",
            "Future jobs",
            "tabs:fieldservice_future_jobs",
            group="work",
            order=160,
            module=module,
        )
        register_tab(
            "schedule", "Schedule", "tabs:fieldservice_schedule", group="work", order=170, module=module
        )
