"""The registry of the portal's sections (its navigation). Each app registers its own in
AppConfig.ready(), as the customer tabs do (customers/tabs.py).

A section shows when the provider has its module (if any). `url_name` takes no arguments
("portal:invoices"). Orders: Home 10, Invoices 20, Payments 30, Statement 40, Profile 90; the
module sections go between (subscriptions 50, usage 60, tickets 70, jobs 75, contracts 80).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    order: int
    module: str | None = None

    def shown_for(self, provider) -> bool:
        """Whether the provider's customers have this section (its module, if any, is on)."""
        return self.module is None or provider.has_module(self.module)


SECTIONS: dict[str, Section] = {}


def register_section(
    key: str, label: str, url_name: str, *, order: int, module: str | None = None
) -> Section:
    section = Section(key, label, url_name, order, module)
    SECTIONS[key] = section
    return section


def visible_sections(provider) -> list[Section]:
    return sorted(
        (s for s in SECTIONS.values() if s.shown_for(provider)),
        key=lambda s: s.order,
    )
