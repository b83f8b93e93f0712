"""The registry of the customer page's tabs. Each app registers its own in AppConfig.ready().

A tab shows when the provider has its module (if any) and the user has its permission.
`url_name` is a full URL name taking `customer_id` ("tabs:dashboard", "tabs:invoices").
Every tab names its group (GROUPS below): the tab bar shows the groups in their order, a group of
several visible tabs as a menu, a group of one as a plain link. Inside a group tabs keep their
order, which follows the product's tab list: Dashboard 10, Details 20, Contacts 30, Billing 40,
Invoices 50, Recurring invoices 60, Payments 70, Credits 80, Ledger 90, Statement 100,
Subscriptions 110, Instalments 120, Estimates 130, Agreements 140, Jobs 150, Future jobs 160,
Schedule 170, Tickets 180, Call logs 190, Equipment 200, Usage 210, Contracts 220, Notes 230,
Activity 240, Messages 245, Event log 250, Custom fields 260.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TabGroup:
    key: str
    label: str


# The tab bar, left to right.
GROUPS: dict[str, TabGroup] = {
    g.key: g
    for g in [
        TabGroup("overview", "Overview"),
        TabGroup("billing", "Billing"),
        TabGroup("services", "Services"),
        TabGroup("work", "Jobs & tickets"),
        TabGroup("contact", "Contacts"),
        TabGroup("history", "History"),
        TabGroup("details", "Details"),
    ]
}


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    order: int
    group: str
    module: str | None = None
    permission: str = "customers.view"


@dataclass(frozen=True)
class TabBarGroup:
    """One place in the tab bar: a group's visible tabs; `current` when it holds the open tab."""

    key: str
    label: str
    tabs: list[Tab]
    current: Tab | None

    @property
    def is_menu(self) -> bool:
        return len(self.tabs) > 1


TABS: dict[str, Tab] = {}


def register_tab(key: str, label: str, url_name: str, *, group: str, order: int, module: str | None = None,
                 permission: str = "customers.view") -> Tab:  # fmt: skip
    if group not in GROUPS:
        raise ValueError(f"Tab {key!r}: unknown group {group!r} (one of {', '.join(GROUPS)})")
    tab = Tab(key, label, url_name, order, group, module, permission)
    TABS[key] = tab
    return tab


def visible_tabs(user) -> list[Tab]:
    provider = user.provider
    return sorted(
        (
            t
            for t in TABS.values()
            if (t.module is None or provider.has_module(t.module)) and user.can(t.permission)
        ),
        key=lambda t: t.order,
    )


def tab_bar(tabs: list[Tab], active: str) -> list[TabBarGroup]:
    """The visible `tabs` (in order) by group, in the bar's order; groups left empty are left out."""
    by_group: dict[str, list[Tab]] = {key: [] for key in GROUPS}
    for tab in tabs:
        by_group[tab.group].append(tab)
    return [
        TabBarGroup(key, GROUPS[key].label, members, next((t for t in members if t.key == active), None))
        for key, members in by_group.items()
        if members
    ]
