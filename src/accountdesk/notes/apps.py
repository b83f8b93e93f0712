from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "accountdesk.notes"
    label = "notes"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab

        register_tab("notes", "Notes", "tabs:notes", group="history", order=230, permission="notes.view")
