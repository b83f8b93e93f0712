"""A job's moves read in the activity as people see them: dates in words."""

import datetime as dt

from accountdesk.fieldservice.services import job_create, job_reschedule
from tests.activity.logged import assert_logged

START = dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC)


def test_a_rescheduled_job_names_its_new_start(actor_as, customer, agent):
    job = job_create(customer=customer, kind="service", scheduled_start=START, actor=actor_as("agent"))
    assert_logged(
        customer, "job.created", f"Service call {job.number} created for 20 Mar 2025 09:00", viewer=agent
    )
    job_reschedule(job=job, scheduled_start=START + dt.timedelta(days=2), actor=actor_as("agent"))
    assert_logged(customer, "job.rescheduled", f"Job {job.number} moved to 22 Mar 2025 09:00", viewer=agent)
