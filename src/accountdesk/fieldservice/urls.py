from django.urls import path

from accountdesk.fieldservice import estimates, views

customer_urlpatterns = [
    path("jobs/", views.job_list, name="fieldservice_jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="fieldservice_job"),
    path("future-jobs/", views.future_job_list, name="fieldservice_future_jobs"),
    path("schedule/", views.schedule, name="fieldservice_schedule"),
    # Estimates and agreements keep the names (and paths) they had under billing.
    path("estimates/", estimates.estimate_list, name="estimates"),
    path("estimates/new/", estimates.estimate_create, name="billing_estimate_create"),
    path("estimates/<int:estimate_id>/<str:status>/", estimates.estimate_move, name="billing_estimate_move"),
    path("agreements/", estimates.agreement_list, name="agreements"),
    path("agreements/new/", estimates.agreement_create, name="billing_agreement_create"),
]
