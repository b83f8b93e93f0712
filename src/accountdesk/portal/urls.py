from django.urls import include, path

from accountdesk.portal.views import auth, pages, sections, staff

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("sign-in/", auth.sign_in, name="sign_in"),
    path("sign-out/", auth.sign_out, name="sign_out"),
    path("sign-in/email/", auth.sign_in_link_request, name="sign_in_link_request"),
    path("sign-in/<str:token>/", auth.sign_in_link, name="sign_in_link"),
    path("password/", auth.password_forgot, name="password_forgot"),
    path("password/<str:token>/", auth.password_set, name="password_set"),
    path("invoices/", pages.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/", pages.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", pages.invoice_pdf, name="invoice_pdf"),
    path("payments/", pages.payments, name="payments"),
    path("payments/<int:payment_id>/", pages.payment_detail, name="payment"),
    path("statement/", pages.statement, name="statement"),
    path("statement/pdf/", pages.statement_pdf, name="statement_pdf"),
    path("services/", sections.subscriptions, name="subscriptions"),
    path("usage/", sections.usage, name="usage"),
    path("support/", sections.ticket_list, name="tickets"),
    path("support/new/", sections.ticket_open, name="ticket_open"),
    path("support/<int:ticket_id>/", sections.ticket_detail, name="ticket"),
    path("appointments/", sections.job_list, name="jobs"),
    path("appointments/<int:job_id>/reschedule/", sections.job_reschedule, name="job_reschedule"),
    path("contracts/", sections.contract_list, name="contracts"),
    path("contracts/<int:contract_id>/", sections.contract_detail, name="contract"),
    path("profile/", pages.profile, name="profile"),
    path("profile/details/", pages.profile_contact, name="profile_contact"),
    path("profile/address/", pages.profile_address, name="profile_address"),
    path("profile/delivery/", pages.profile_delivery, name="profile_delivery"),
    path("profile/notifications/", pages.profile_channel, name="profile_channel"),
    path("pay/", include("accountdesk.portal.pay_urls")),
]

# Staff, on a customer's Contacts tab (mounted under /customers/<id>/ in the "tabs" namespace).
customer_urlpatterns = [
    path("contacts/<int:contact_id>/portal/grant/", staff.access_grant, name="portal_grant"),
    path("contacts/<int:contact_id>/portal/revoke/", staff.access_revoke, name="portal_revoke"),
    path("contacts/<int:contact_id>/portal/open/", staff.open_as_contact, name="portal_open"),
]
