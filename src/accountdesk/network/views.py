"""The Equipment tab: the devices on the account, with Add and Remove, each a form (forms.py) taken
through the page's dialogs (core.dialogs.page_respond) over one service."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import Dialog, Page, page_respond
from accountdesk.core.views_support import actor_for, user_can
from accountdesk.customers.page import customer_page
from accountdesk.network import selectors, services
from accountdesk.network.forms import EquipmentForm, EquipmentRemoveForm


@login_required
@require_http_methods(["GET", "POST"])
def equipment_list(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="equipment")
    customer, actor = ctx["customer"], actor_for(request)

    def add(data) -> str:
        item = services.equipment_add(customer=customer, data=data, actor=actor)
        return f"{item.name} added."

    def remove(data) -> str:
        item = selectors.equipment_get(customer=customer, pk=data["equipment"])
        services.equipment_remove(equipment=item, actor=actor)
        return f"{item.name} removed."

    page = Page(
        "network/equipment.html",
        lambda: {
            **ctx,
            "page": selectors.equipment_list(customer=customer, cursor=request.GET.get("cursor") or None),
            "can_edit": user_can(request, "network.edit"),
        },
    )
    dialogs = {
        "add": lambda data: Dialog(
            form=EquipmentForm(data, device_types=selectors.device_type_list(provider=customer.provider)),
            perform=add,
            title="Add equipment",
            submit="Add equipment",
        ),
        "remove": lambda data: Dialog(
            form=EquipmentRemoveForm(data), perform=remove, title="Remove equipment", submit="Remove"
        ),
    }
    return page_respond(request, dialogs, page=page, permission="network.edit", default="add")
