from accountdesk.contracts.models import Contract, ContractTemplate
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider


def contract_list(
    *, customer: Customer, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Contract]:
    qs = Contract.objects.filter(provider_id=customer.provider_id, customer=customer).select_related(
        "template"
    )
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=("-queued_at", "-id"), limit=limit, cursor=cursor)


def contract_get(*, customer: Customer, pk: object) -> Contract:
    qs = Contract.objects.filter(customer=customer).select_related(
        "template", "customer", "signed_by_contact"
    )
    return get_scoped(qs, provider=customer.provider, pk=pk)


def contract_template_list(
    *, provider: Provider, active_only: bool = False, limit: int = 500
) -> list[ContractTemplate]:
    qs = ContractTemplate.objects.filter(provider=provider)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs[:limit])


def contract_template_get(*, provider: Provider, pk: object) -> ContractTemplate:
    return get_scoped(ContractTemplate, provider=provider, pk=pk)
