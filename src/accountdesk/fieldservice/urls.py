from django.urls import path

from accountdesk.fieldservice import views

customer_urlpatterns = [
    path("jobs/", views.job_list, name="fieldservice_jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="fieldservice_job"),
    path("future-jobs/", views.future_job_list, name="fieldservice_future_jobs"),
    path("schedule/", views.schedule, name="fieldservice_schedule"),
]
