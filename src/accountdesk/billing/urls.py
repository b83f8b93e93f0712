from django.urls import path

from accountdesk.billing import views

customer_urlpatterns = [
    path("billing/", views.billing_tab, name="billing"),
    path("billing/edit/", views.profile_edit, name="billing_profile_edit"),
    path("billing/payment-methods/new/", views.payment_method_add, name="billing_payment_method_add"),
    path(
        "billing/payment-methods/<int:method_id>/default/",
        views.payment_method_default,
        name="billing_payment_method_default",
    ),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/new/", views.invoice_create, name="billing_invoice_create"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="billing_invoice"),
    path("invoices/<int:invoice_id>/approve/", views.invoice_approve, name="billing_invoice_approve"),
    path("invoices/<int:invoice_id>/void/", views.invoice_void, name="billing_invoice_void"),
    path("recurring-invoices/", views.recurring_list, name="recurring_invoices"),
    path("recurring-invoices/new/", views.recurring_create, name="billing_recurring_create"),
    path(
        "recurring-invoices/<int:recurring_id>/<str:status>/",
        views.recurring_move,
        name="billing_recurring_move",
    ),
    path("payments/", views.payment_list, name="payments"),
    path("payments/new/", views.payment_record, name="billing_payment_record"),
    path("payments/<int:payment_id>/refund/", views.payment_refund, name="billing_payment_refund"),
    path("credits/", views.credit_list, name="credits"),
    path("credits/new/", views.credit_issue, name="billing_credit_issue"),
    path("credits/apply/", views.credit_apply, name="billing_credit_apply"),
    path(
        "credits/requests/<int:request_id>/approve/",
        views.credit_request_approve,
        name="billing_credit_request_approve",
    ),
    path(
        "credits/requests/<int:request_id>/decline/",
        views.credit_request_decline,
        name="billing_credit_request_decline",
    ),
    path("ledger/", views.ledger_list, name="ledger"),
    path("statement/", views.statement_view, name="statement"),
    path("statement.pdf", views.statement_pdf, name="billing_statement_pdf"),
    path("statement/send/", views.statement_send, name="billing_statement_send"),
    path("instalments/", views.instalment_list, name="instalments"),
    path("instalments/new/", views.instalment_create, name="billing_instalment_create"),
    path("estimates/", views.estimate_list, name="estimates"),
    path("estimates/new/", views.estimate_create, name="billing_estimate_create"),
    path("estimates/<int:estimate_id>/<str:status>/", views.estimate_move, name="billing_estimate_move"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="billing_agreement_create"),
]
