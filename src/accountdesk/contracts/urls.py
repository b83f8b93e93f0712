"""The Contracts tab (mounted under /customers/<id>/) and, in `urlpatterns`, the settings pages
for contract templates, meant to be mounted at /settings/contracts/ in the "contracts" namespace:
path("settings/contracts/", include("accountdesk.contracts.urls"))."""

from django.urls import path

from accountdesk.contracts import views

app_name = "contracts"

customer_urlpatterns = [
    path("contracts/", views.contract_queue, name="contracts_queue"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="contracts_detail"),
]

urlpatterns = [
    path("", views.template_list, name="templates"),
    path("<int:template_id>/", views.template_edit, name="template_edit"),
]
