from django.urls import path

from accountdesk.servicedesk import views

customer_urlpatterns = [
    path("tickets/", views.ticket_list, name="servicedesk_tickets"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="servicedesk_ticket"),
    path("call-logs/", views.call_log_list, name="servicedesk_call_logs"),
]
