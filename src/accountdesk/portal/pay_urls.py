"""The portal's pay pages, mounted at /portal/pay/ in the portal's namespace (portal:pay ...)."""

from django.urls import path

from accountdesk.portal.views import pay

urlpatterns = [
    path("", pay.pay, name="pay"),
    path("<int:attempt_id>/", pay.pay_result, name="pay_result"),
    path("<int:attempt_id>/return/", pay.pay_return, name="pay_return"),
    path("cards/<int:method_id>/autopay/", pay.card_autopay, name="card_autopay"),
    path("cards/<int:method_id>/remove/", pay.card_remove, name="card_remove"),
]
