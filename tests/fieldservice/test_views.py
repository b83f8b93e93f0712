import datetime as dt

from accountdesk.fieldservice.models import Job
from tests.fieldservice.factories import JobFactory


def tab(customer, tail: str) -> str:
    return f"/customers/{customer.pk}/{tail}"


def test_it_lists_jobs_and_future_jobs(browser_client, agent, customer):
    JobFactory(
        customer=customer, number="J-000101", scheduled_start=dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    )
    JobFactory(
        customer=customer, number="J-000102", scheduled_start=dt.datetime(2025, 3, 25, 9, tzinfo=dt.UTC)
    )
    client = browser_client(agent)
    jobs = client.get(tab(customer, "jobs/")).content.decode()
    assert "J-000101" in jobs and "J-000102" in jobs and "Add install / service call" in jobs
    future = client.get(tab(customer, "future-jobs/")).content.decode()
    assert "J-000102" in future and "J-000101" not in future


def test_it_says_so_when_there_are_no_jobs(browser_client, agent, customer):
    client = browser_client(agent)
    assert "No jobs yet." in client.get(tab(customer, "jobs/")).content.decode()
    assert "No upcoming jobs." in client.get(tab(customer, "future-jobs/")).content.decode()


def test_it_adds_a_service_call_from_the_dialog(browser_client, staff, customer):
    response = browser_client(staff["technician"]).post(
        tab(customer, "jobs/"),
        {"kind": "service", "scheduled_start": "2025-03-20T09:00", "scheduled_end": "2025-03-20T10:30"},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.scheduled_end - job.scheduled_start == dt.timedelta(minutes=90)


def test_it_shows_end_before_start_as_a_form_error(browser_client, agent, customer):
    response = browser_client(agent).post(
        tab(customer, "jobs/"),
        {"kind": "service", "scheduled_start": "2025-03-20T09:00", "scheduled_end": "2025-03-20T08:00"},
    )
    assert response.status_code == 400 and "The end must be after the start." in response.content.decode()
    assert not Job.objects.exists()


def test_it_refuses_readonly_users_the_add_action(browser_client, staff, customer):
    client = browser_client(staff["readonly"])
    assert "Add install / service call" not in client.get(tab(customer, "jobs/")).content.decode()
    assert client.post(tab(customer, "jobs/"), {"kind": "service"}).status_code == 403
    assert not Job.objects.exists()


def test_it_draws_the_month_schedule_with_links_to_jobs(browser_client, agent, customer):
    job = JobFactory(
        customer=customer, number="J-000777", scheduled_start=dt.datetime(2025, 3, 20, 9, tzinfo=dt.UTC)
    )
    client = browser_client(agent)
    page = client.get(tab(customer, "schedule/")).content.decode()
    assert "March 2025" in page and f"/jobs/{job.pk}/" in page and "J-000777" in page
    assert "?month=2025-02" in page and "?month=2025-04" in page
    april = client.get(tab(customer, "schedule/"), {"month": "2025-04"}).content.decode()
    assert "J-000777" not in april and "No appointments in April 2025." in april
    assert client.get(tab(customer, "schedule/"), {"month": "garbage"}).status_code == 200


def test_it_changes_a_job_on_its_page(browser_client, staff, customer):
    job = JobFactory(customer=customer)
    client = browser_client(staff["technician"])
    url = tab(customer, f"jobs/{job.pk}/")
    assert client.post(url, {"action": "status", "status": "in_progress"}).status_code == 302
    assert (
        client.post(url, {"action": "reschedule", "scheduled_start": "2025-03-22T08:00"}).status_code == 302
    )
    assert client.post(url, {"action": "assign", "technician": staff["technician"].pk}).status_code == 302
    job.refresh_from_db()
    assert job.status == "in_progress" and job.technician == staff["technician"]
    refused = client.post(url, {"action": "status", "status": "scheduled"})
    assert (
        refused.status_code == 400
        and "A in progress job cannot become scheduled." in refused.content.decode()
    )


def test_it_404s_another_providers_job(browser_client, agent, customer, foreign_customer):
    foreign = JobFactory(customer=foreign_customer)
    client = browser_client(agent)
    assert client.get(tab(customer, f"jobs/{foreign.pk}/")).status_code == 404
    assert client.get(tab(foreign_customer, "schedule/")).status_code == 404


def test_it_hides_the_tabs_without_the_module(browser_client, bare_agent, bare_customer):
    client = browser_client(bare_agent)
    for path in ("jobs/", "future-jobs/", "schedule/"):
        assert client.get(tab(bare_customer, path)).status_code == 404


def test_it_lists_the_tabs_only_with_the_module(agent, bare_agent):
    from accountdesk.customers.tabs import visible_tabs

    assert {"jobs", "future_jobs", "schedule"} <= {t.key for t in visible_tabs(agent)}
    assert not {"jobs", "future_jobs", "schedule"} & {t.key for t in visible_tabs(bare_agent)}


def test_it_refuses_a_past_start_in_the_dialog_unless_recorded_as_completed(browser_client, agent, customer):
    client = browser_client(agent)
    refused = client.post(tab(customer, "jobs/"), {"kind": "repair", "scheduled_start": "2020-06-01T09:00"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "This start is in the past." in html
    assert 'name="completed"' in html and not Job.objects.exists()
    done = client.post(
        tab(customer, "jobs/"), {"kind": "repair", "scheduled_start": "2020-06-01T09:00", "completed": "on"}
    )
    assert done.status_code == 302 and Job.objects.get().status == "completed"


def test_it_shows_a_bad_time_inline_and_writes_nothing(browser_client, agent, customer):
    response = browser_client(agent).post(
        tab(customer, "jobs/"), {"kind": "service", "scheduled_start": "soon"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Enter a date and time such as 2025-03-01T14:30." in page
    assert "data-open-on-load" in page and not Job.objects.exists()


def test_it_asks_for_the_new_start_when_rescheduling(browser_client, agent, customer):
    job = JobFactory(customer=customer)
    before = job.scheduled_start
    response = browser_client(agent).post(tab(customer, f"jobs/{job.pk}/"), {"action": "reschedule"})
    assert response.status_code == 400 and "Give the new start." in response.content.decode()
    job.refresh_from_db()
    assert job.scheduled_start == before


def test_it_offers_the_same_technicians_as_the_dashboard(browser_client, staff, customer):
    from accountdesk.tenancy.selectors import staff_assignable

    job = JobFactory(customer=customer)
    page = browser_client(staff["agent"]).get(tab(customer, f"jobs/{job.pk}/")).content.decode()
    offered = [u.pk for u in staff_assignable(provider=customer.provider)]
    assert offered[0] == staff["technician"].pk
    assert all(f'<option value="{pk}"' in page for pk in offered)
    assert f'<option value="{staff["billing"].pk}"' not in page
