from django.apps import AppConfig


class DunningConfig(AppConfig):
    name = "accountdesk.dunning"
    label = "dunning"
    verbose_name = "Collections"

    def ready(self) -> None:
        from accountdesk.activity.listeners import listen
        from accountdesk.dunning import kinds  # noqa: F401  (registers the activity kinds)
        from accountdesk.dunning.services import ARREARS_KINDS, arrears_cleared
        from accountdesk.tenancy.settings_sections import register_settings_section

        register_settings_section("collections", "Collections", "settings:collections", order=75)
        # A payment (or credit, or a void) that clears the overdue balance ends the episode and
        # lifts dunning's own block, inside that write's transaction.
        listen(arrears_cleared, kinds=ARREARS_KINDS)
