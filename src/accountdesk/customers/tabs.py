"""The registry of the customer page's tabs. Each app registers its own in AppConfig.ready().

A tab shows when the provider has its module (if any) and the user has its permission.
`url_name` is a full URL name taking `customer_id` ("tabs:dashboard", "tabs:invoices").
Orders follow the product's tab list: Dashboard 10, Details 20, Contacts 30, Billing 40,
Invoices 50, Recurring invoices 60, Payments 70, Credits 80, Ledger 90, Statement 100,
Subscriptions 110, Instalments 120, Estimates 130, Agreements 140, Jobs 150, Future jobs 160,
Schedule 170, Tickets 180, Call logs 190, Equipment 200, Usage 210, Contracts 220, Notes 230,
Activity 240, Event log 250, Custom fields 260.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    order: int
    module: str | None = None
    permission: str = "customers.view"


TABS: dict[str, Tab] = {}


def register_tab(key: str, label: str, url_name: str, *, order: int, module: str | None = None,
                 permission: str = "customers.view") -> Tab:  # fmt: skip
    tab = Tab(key, label, url_name, order, module, permission)
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
