"""The billing tabs of the customer page (orders from customers/tabs.py)."""

from accountdesk.customers.tabs import register_tab

for _key, _label, _order, _module in [
    ("billing", "Billing", 40, None),
    ("invoices", "Invoices", 50, None),
    ("recurring_invoices", "Recurring invoices", 60, None),
    ("payments", "Payments", 70, None),
    ("credits", "Credits", 80, None),
    ("ledger", "Ledger", 90, None),
    ("statement", "Statement", 100, None),
    ("instalments", "Instalments", 120, "instalments"),
]:
    register_tab(
        _key, _label, f"tabs:{_key}", group="billing", order=_order, module=_module, permission="billing.view"
    )
