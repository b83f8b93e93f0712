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
        # Quotes and agreements are money documents: they sit with billing in the tab bar.
        for key, label, order in (("estimates", "Estimates", 130), ("agreements", "Agreements", 140)):
            register_tab(
                key,
                label,
                f"tabs:{key}",
                group="billing",
                order=order,
                module=module,
                permission="billing.view",
            )
