"""The Contracts tab (the signing queue) and the provider's contract templates in settings: each
write a form (forms.py) taken through the page's dialogs (core.dialogs.page_respond) over one service."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.contracts import selectors, services
from accountdesk.contracts.forms import (
    ContractForm,
    ContractQueueForm,
    ContractTemplateEditForm,
    ContractTemplateForm,
)
from accountdesk.contracts.models import ContractAction, ContractStatus
from accountdesk.core.dialogs import INLINE_TEMPLATE, Dialog, DialogFor, Page, page_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.views_support import actor_for, user_can
from accountdesk.customers.page import customer_page
from accountdesk.customers.selectors import contact_list
from accountdesk.tenancy.settings_sections import settings_context

# What the confirmation says each of the queue's moves (services.ACTIONS) did.
DONE: dict[str, str] = {
    ContractAction.SEND: "sent",
    ContractAction.SIGN: "marked signed",
    ContractAction.VOID: "voided",
}


@login_required
@require_http_methods(["GET", "POST"])
def contract_queue(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="contracts")
    customer, actor = ctx["customer"], actor_for(request)

    def queue(data) -> str:
        contract = services.contract_queue(customer=customer, actor=actor, **data)
        return f"{contract.template.name} queued for {contract.contact_name} to sign."

    def queue_dialog(data: QueryDict | None) -> Dialog:
        templates = selectors.contract_template_list(provider=customer.provider, active_only=True)
        contacts = contact_list(customer=customer, limit=50)
        hints = []
        if not templates:
            hints.append("There are no contract templates yet. An administrator adds them in Settings.")
        if not contacts:
            hints.append("This customer has no contacts yet: add the signer in Contacts first.")
        form = ContractQueueForm(
            data,
            templates=[(t.pk, t.name) for t in templates],
            contacts=[(c.pk, f"{c.name} (primary)" if c.is_primary else c.name) for c in contacts],
        )
        title = "Queue a contract for signing"
        return Dialog(form=form, perform=queue, title=title, submit="Add to queue", context={"hints": hints})

    def mover(move: str) -> DialogFor:
        service, submit, done = services.ACTIONS[move], ContractAction(move).label, DONE[move]

        def perform(data: dict[str, Any]) -> str:
            contract = service(
                contract=selectors.contract_get(customer=customer, pk=data["contract"]), actor=actor
            )
            return f"{contract.template.name} for {contract.contact_name} {done}."

        title = f"{submit} the contract"
        return lambda data: Dialog(
            form=ContractForm(data), perform=perform, title=title, submit=submit, danger=move == "void"
        )

    def page() -> dict[str, Any]:
        state = request.GET.get("status") or ""
        if state not in ContractStatus.values:
            state = ""
        cursor = request.GET.get("cursor") or None
        return {
            **ctx,
            "page": selectors.contract_list(customer=customer, status=state or None, cursor=cursor),
            "status_filter": state,
            "statuses": ContractStatus.choices,
            "can_edit": user_can(request, "contracts.edit"),
        }

    dialogs: dict[str, DialogFor] = {
        "queue": queue_dialog,
        **{move: mover(move) for move in services.ACTIONS},
    }
    return page_respond(
        request,
        dialogs,
        page=Page("contracts/queue.html", page),
        permission="contracts.edit",
        default="queue",
    )


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
    if not user_can(request, "provider.manage"):
        raise DjangoPermissionDenied()
    return provider


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request):
    """Settings > Contract templates: the list, and a form to add one."""
    provider = _settings_guard(request)
    actor = actor_for(request)

    def add(data) -> str:
        template = services.contract_template_create(provider=provider, actor=actor, **data)
        return f"Contract template {template.name} added."

    page = Page(
        "contracts/templates.html",
        lambda: {
            **settings_context(request, "contracts"),
            "templates": selectors.contract_template_list(provider=provider),
        },
    )
    dialogs = {
        "add": lambda data: Dialog(
            form=ContractTemplateForm(data),
            perform=add,
            title="Add a template",
            submit="Add template",
            template=INLINE_TEMPLATE,
        )
    }
    return page_respond(
        request,
        dialogs,
        page=page,
        permission="provider.manage",
        default="add",
        success_url=reverse("contracts:templates"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id: int):
    provider = _settings_guard(request)
    try:
        template = selectors.contract_template_get(provider=provider, pk=template_id)
    except NotFound:
        raise Http404("No such template") from None
    actor = actor_for(request)

    def save(data) -> str:
        saved = services.contract_template_update(template=template, actor=actor, **data)
        return f"Contract template {saved.name} saved."

    initial = {"name": template.name, "body": template.body, "is_active": template.is_active}
    page = Page(
        "contracts/template_edit.html",
        lambda: {**settings_context(request, "contracts"), "template": template},
    )
    dialogs = {
        "save": lambda data: Dialog(
            form=ContractTemplateEditForm(data, initial=initial),
            perform=save,
            title=f"Edit {template.name}",
            submit="Save template",
            template=INLINE_TEMPLATE,
        )
    }
    return page_respond(
        request,
        dialogs,
        page=page,
        permission="provider.manage",
        default="save",
        success_url=reverse("contracts:templates"),
    )
