from django.urls import path

from accountdesk.messaging import views

customer_urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    path("messages/email/", views.message_email, name="message_email"),
    path("messages/sms/", views.message_sms, name="message_sms"),
    path("messages/<int:message_id>/resend/", views.message_resend, name="message_resend"),
]
