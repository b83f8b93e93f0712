"""The Equipment tab: the devices on the account, with Add and Remove."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accountdesk.core.dates import datetime_field
from accountdesk.core.errors import DomainError, NotFound
from accountdesk.core.views_support import actor_for
from accountdesk.customers.page import customer_page
from accountdesk.network import selectors, services
from accountdesk.network.models import EquipmentStatus


@login_required
@require_http_methods(["GET", "POST"])
def equipment_list(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="equipment")
    customer = ctx["customer"]
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.POST
        try:
            if form.get("action") == "remove":
                try:
                    item = selectors.equipment_get(customer=customer, pk=form.get("equipment"))
                except NotFound:
                    raise Http404("No such equipment") from None
                services.equipment_remove(equipment=item, actor=actor_for(request))
            else:
                data = {
                    "name": form.get("name", ""),
                    "device_type": form.get("device_type") or None,
                    "mac": form.get("mac", ""),
                    "ip": form.get("ip", ""),
                    "status": form.get("status", EquipmentStatus.UNKNOWN),
                    "last_seen": datetime_field(form.get("last_seen"), "last_seen"),
                }
                services.equipment_add(customer=customer, data=data, actor=actor_for(request))
        except DomainError as exc:
            errors = {**exc.fields, "general": exc.message}
            status = exc.status if 400 <= exc.status < 500 else 400
        else:
            return redirect("tabs:network_equipment", customer_id=customer.pk)
    ctx.update(
        page=selectors.equipment_list(customer=customer, cursor=request.GET.get("cursor") or None),
        device_types=selectors.device_type_list(provider=customer.provider),
        statuses=EquipmentStatus.choices,
        form=form,
        errors=errors,
        can_edit=request.user.can("network.edit"),
    )
    return render(request, "network/equipment.html", ctx, status=status)
