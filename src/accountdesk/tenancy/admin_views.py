"""Provider administration, inside the product, for admins of that provider."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accountdesk.core.views_support import require_perm


@login_required
@require_perm("provider.manage")
def overview(request):
    return render(request, "tenancy/settings_overview.html", {})
