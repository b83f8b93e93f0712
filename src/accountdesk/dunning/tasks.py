import datetime as dt

from django_tasks import task


@task()
def dunning_run_task(on: str, provider_id: int | None = None) -> dict:
    """The scheduled run: every provider (or one), for the date given as YYYY-MM-DD."""
    from accountdesk.dunning.services import dunning_run
    from accountdesk.tenancy.models import Provider

    providers = Provider.objects.all() if provider_id is None else Provider.objects.filter(pk=provider_id)
    day = dt.date.fromisoformat(on)
    return {p.slug: dunning_run(provider=p, on=day).as_dict() for p in providers.order_by("id")}
