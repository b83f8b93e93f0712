from django_tasks import task


@task()
def import_check_task(job_id: int) -> str:
    """Check an uploaded file (after the transaction that stored it has committed)."""
    from accountdesk.imports.jobs import import_job_check

    return import_job_check(job_id=job_id).status


@task()
def import_apply_task(job_id: int) -> str:
    """Import a checked file."""
    from accountdesk.imports.jobs import import_job_import

    return import_job_import(job_id=job_id).status
