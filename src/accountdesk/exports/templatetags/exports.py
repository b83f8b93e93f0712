from urllib.parse import urlencode

from django import template

from accountdesk.customers.models import Customer
from accountdesk.exports.registry import EXPORTS, TAB_EXPORTS

register = template.Library()


@register.inclusion_tag("exports/_menu.html", takes_context=True)
def export_menu(context, customer: Customer, tab: str):
    """Export links (CSV, Excel, PDF, print) for the tab's rows, with the filters it shows."""
    request = context["request"]
    user = request.user
    entry = TAB_EXPORTS.get(tab)
    if entry is None:
        return {"links": None}
    key, fixed = entry
    exportable = EXPORTS[key]
    if exportable.module and not user.provider.has_module(exportable.module):
        return {"links": None}
    if not user.can(exportable.permission):
        return {"links": None}
    params = {name: request.GET[name] for name in exportable.filters if request.GET.get(name)}
    params.update(fixed)
    base = f"/api/v1/customers/{customer.pk}/{key}/export"
    # A large PDF is prepared in the background: its link starts a job (HTMX) whose progress panel
    # appears under the menu; without HTMX the link still downloads the file.
    start = "/account/exports/start/?" + urlencode(
        {"customer": customer.pk, "tab": key, **params, "format": "pdf"}
    )
    links = [
        (label, f"{base}?{urlencode({**params, 'format': fmt})}", start if fmt == "pdf" else None)
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"), ("pdf", "PDF"))
    ]
    return {"links": links, "title": exportable.title, "key": key}
