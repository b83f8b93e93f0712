"""What every page of a customer shares: the customer, its top row and its tabs."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from accountdesk.core.errors import NotFound
from accountdesk.customers import selectors
from accountdesk.customers.tabs import TABS, visible_tabs


def customer_page(request, customer_id: int, *, tab: str) -> dict:
    """Context for a customer tab page: 404 for another provider's id or a disabled module's tab,
    403 when the user lacks the tab's permission. Templates extend "customers/tab_base.html"."""
    user = request.user
    try:
        customer, _tags, banners = selectors.customer_frame(provider=user.provider, pk=customer_id)
    except NotFound:
        raise Http404("No such customer") from None
    current = TABS.get(tab)
    if current is not None:
        if current.module and not user.provider.has_module(current.module):
            raise Http404("Module not enabled")
        if not user.can(current.permission):
            raise DjangoPermissionDenied()
    return {
        "customer": customer,
        "tabs": visible_tabs(user),
        "active_tab": tab,
        "banners": banners,
    }
