"""The registry of the Settings menu. Tenancy registers its own sections; an app adds its own in
AppConfig.ready() (contracts: Contract templates), so tenancy never imports the apps above it.

A section shows when the provider has its module (if any)."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accountdesk.tenancy.models import Provider


@dataclass(frozen=True)
class SettingsSection:
    key: str
    label: str
    url_name: str
    order: int
    module: str | None = None


SECTIONS: dict[str, SettingsSection] = {}


def register_settings_section(key: str, label: str, url_name: str, *, order: int,
                              module: str | None = None) -> SettingsSection:  # fmt: skip
    section = SettingsSection(key, label, url_name, order, module)
    SECTIONS[key] = section
    return section


def settings_menu(provider: Provider) -> list[dict]:
    """The sections this provider sees, in order, each as {"key", "label", "url"}."""
    visible = (s for s in SECTIONS.values() if s.module is None or provider.has_module(s.module))
    return [
        {"key": s.key, "label": s.label, "url": reverse(s.url_name)}
        for s in sorted(visible, key=lambda s: s.order)
    ]


def settings_context(request: HttpRequest, section: str) -> dict:
    """What templates extending "tenancy/settings_base.html" need for the menu."""
    user: Any = request.user  # a signed-in staff User (admin_page)
    return {"sections": settings_menu(user.provider), "section": section}
