"""The Contracts tab (the signing queue) and the provider's contract templates in settings."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accountdesk.contracts import selectors, services
from accountdesk.contracts.models import ContractStatus
from accountdesk.contracts.rendering import PLACEHOLDERS
from accountdesk.core.errors import DomainError, NotFound, ValidationFailed
from accountdesk.core.views_support import actor_for
from accountdesk.customers.page import customer_page
from accountdesk.customers.selectors import contact_list
from accountdesk.tenancy.settings_sections import settings_context


def _errors(exc: DomainError) -> tuple[dict, int]:
    return {**exc.fields, "general": exc.message}, exc.status if 400 <= exc.status < 500 else 400


@login_required
@require_http_methods(["GET", "POST"])
def contract_queue(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="contracts")
    customer = ctx["customer"]
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.POST
        action = form.get("action", "queue")
        try:
            if action == "queue":
                services.contract_queue(
                    customer=customer,
                    template=form.get("template") or None,
                    contact=form.get("contact") or None,
                    actor=actor_for(request),
                )
            elif action in services.ACTIONS:
                try:
                    contract = selectors.contract_get(customer=customer, pk=form.get("contract"))
                except NotFound:
                    raise Http404("No such contract") from None
                services.ACTIONS[action](contract=contract, actor=actor_for(request))
            else:
                raise ValidationFailed("Unknown action.")
        except DomainError as exc:
            errors, status = _errors(exc)
        else:
            return redirect("tabs:contracts_queue", customer_id=customer.pk)
    state = request.GET.get("status") or ""
    if state not in ContractStatus.values:
        state = ""
    ctx.update(
        page=selectors.contract_list(
            customer=customer, status=state or None, cursor=request.GET.get("cursor") or None
        ),
        status_filter=state,
        statuses=ContractStatus.choices,
        templates=selectors.contract_template_list(provider=customer.provider, active_only=True),
        contacts=contact_list(customer=customer, limit=50),
        form=form,
        errors=errors,
        can_edit=request.user.can("contracts.edit"),
    )
    return render(request, "contracts/queue.html", ctx, status=status)


@login_required
def contract_detail(request, customer_id: int, contract_id: int):
    ctx = customer_page(request, customer_id, tab="contracts")
    try:
        ctx["contract"] = selectors.contract_get(customer=ctx["customer"], pk=contract_id)
    except NotFound:
        raise Http404("No such contract") from None
    return render(request, "contracts/contract_detail.html", ctx)


def _settings_guard(request):
    provider = request.user.provider
    if not provider.has_module("contracts"):
        raise Http404("Module not enabled")
    if not request.user.can("provider.manage"):
        raise DjangoPermissionDenied()
    return provider


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request):
    """Settings > Contract templates: the list, and a form to add one."""
    provider = _settings_guard(request)
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.POST
        try:
            services.contract_template_create(
                provider=provider,
                name=form.get("name", ""),
                body=form.get("body", ""),
                actor=actor_for(request),
            )
        except DomainError as exc:
            errors, status = _errors(exc)
        else:
            return redirect("contracts:templates")
    ctx = {
        **settings_context(request, "contracts"),
        "templates": selectors.contract_template_list(provider=provider),
        "placeholders": [(name, label) for name, (label, _) in PLACEHOLDERS.items()],
        "form": form,
        "errors": errors,
    }
    return render(request, "contracts/templates.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id: int):
    provider = _settings_guard(request)
    try:
        template = selectors.contract_template_get(provider=provider, pk=template_id)
    except NotFound:
        raise Http404("No such template") from None
    form, errors, status = (
        {"name": template.name, "body": template.body, "is_active": template.is_active},
        {},
        200,
    )
    if request.method == "POST":
        form = {"name": request.POST.get("name", ""), "body": request.POST.get("body", ""),
                "is_active": request.POST.get("is_active") == "on"}  # fmt: skip
        try:
            services.contract_template_update(template=template, actor=actor_for(request), **form)
        except DomainError as exc:
            errors, status = _errors(exc)
        else:
            return redirect("contracts:templates")
    ctx = {
        **settings_context(request, "contracts"),
        "template": template,
        "placeholders": [(name, label) for name, (label, _) in PLACEHOLDERS.items()],
        "form": form,
        "errors": errors,
    }
    return render(request, "contracts/template_edit.html", ctx, status=status)
