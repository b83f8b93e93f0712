from django_tasks import task


@task()
def export_job_task(job_id: int) -> str:
    """Prepare a large export's file (after the transaction that queued it has committed)."""
    from accountdesk.exports.services import export_job_run

    return export_job_run(job_id=job_id).status
