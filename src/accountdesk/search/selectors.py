from accountdesk.core.pagination import Page, keyset_page
from accountdesk.search.models import UnansweredQuestion
from accountdesk.tenancy.models import Provider


def unanswered_list(
    *, provider: Provider, limit: int | None = None, cursor: str | None = None
) -> Page[UnansweredQuestion]:
    """The provider's unanswered questions, the most asked first."""
    qs = UnansweredQuestion.objects.filter(provider=provider)
    return keyset_page(qs, ordering=("-count", "-id"), limit=limit, cursor=cursor)
