from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accountdesk.core.views_support import require_perm
from accountdesk.customers import selectors


@login_required
@require_perm("customers.view")
def customer_list(request):
    page = selectors.customer_list(
        provider=request.user.provider, q=request.GET.get("q"), cursor=request.GET.get("cursor")
    )
    return render(request, "customers/list.html", {"page": page})


@login_required
@require_perm("customers.view")
def customer_dashboard(request, customer_id: int):
    customer = selectors.customer_get(provider=request.user.provider, pk=customer_id)
    return render(request, "customers/dashboard.html", {"customer": customer})
