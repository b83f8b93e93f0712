from django.urls import include, path

from accountdesk.api.api import api
from accountdesk.core import views as core_views
from accountdesk.tenancy import views as tenancy_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", tenancy_views.sign_in, name="login"),
    path("logout/", tenancy_views.sign_out, name="logout"),
    path("settings/", include("accountdesk.tenancy.urls")),
    path("customers/", include("accountdesk.customers.urls")),
    path("api/", api.urls),
]
