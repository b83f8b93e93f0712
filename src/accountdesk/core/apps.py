from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accountdesk.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accountdesk.core.middleware import stamp_session_at_sign_in

        user_logged_in.connect(stamp_session_at_sign_in, dispatch_uid="accountdesk-session-stamp")
