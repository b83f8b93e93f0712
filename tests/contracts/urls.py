"""The project's URLs plus the contract template settings, mounted where the lead will mount them."""

from django.urls import include, path

from accountdesk.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("settings/contracts/", include("accountdesk.contracts.urls")), *project_urlpatterns]
