from django.urls import path

from accountdesk.billing.views import actions, disputes, tabs

customer_urlpatterns = [
    path("billing/", tabs.billing_tab, name="billing"),
    path("billing/edit/", actions.profile_edit, name="billing_profile_edit"),
    path("billing/payment-methods/new/", actions.payment_method_add, name="billing_payment_method_add"),
    path(
        "billing/payment-methods/<int:method_id>/default/",
        actions.payment_method_default,
        name="billing_payment_method_default",
    ),
    path("invoices/", tabs.invoice_list, name="invoices"),
    path("invoices/new/", actions.invoice_create, name="billing_invoice_create"),
    path("invoices/<int:invoice_id>/", tabs.invoice_detail, name="billing_invoice"),
    path(
        "invoices/<int:invoice_id>/balance/explain/",
        disputes.invoice_balance_explain,
        name="billing_invoice_balance_explain",
    ),
    path("invoices/<int:invoice_id>/pdf/", tabs.invoice_pdf_view, name="billing_invoice_pdf"),
    path("invoices/<int:invoice_id>/approve/", actions.invoice_approve, name="billing_invoice_approve"),
    path("invoices/<int:invoice_id>/void/", actions.invoice_void, name="billing_invoice_void"),
    path("recurring-invoices/", tabs.recurring_list, name="recurring_invoices"),
    path("recurring-invoices/new/", actions.recurring_create, name="billing_recurring_create"),
    path(
        "recurring-invoices/<int:recurring_id>/<str:status>/",
        actions.recurring_move,
        name="billing_recurring_move",
    ),
    path("payments/", tabs.payment_list, name="payments"),
    path("payments/new/", actions.payment_record, name="billing_payment_record"),
    path("payments/<int:payment_id>/refund/", actions.payment_refund, name="billing_payment_refund"),
    path("credits/", tabs.credit_list, name="credits"),
    path("credits/new/", actions.credit_issue, name="billing_credit_issue"),
    path("credits/apply/", actions.credit_apply, name="billing_credit_apply"),
    path(
        "credits/requests/<int:request_id>/approve/",
        actions.credit_request_approve,
        name="billing_credit_request_approve",
    ),
    path(
        "credits/requests/<int:request_id>/decline/",
        actions.credit_request_decline,
        name="billing_credit_request_decline",
    ),
    path("ledger/", tabs.ledger_list, name="ledger"),
    path("ledger/<int:entry_id>/dispute/", disputes.dispute_raise, name="billing_dispute_raise"),
    path("disputes/<int:dispute_id>/resolve/", disputes.dispute_resolve, name="billing_dispute_resolve"),
    path("statement/", tabs.statement_view, name="statement"),
    path("statement.pdf", tabs.statement_pdf, name="billing_statement_pdf"),
    path("statement/send/", actions.statement_send, name="billing_statement_send"),
    path("instalments/", tabs.instalment_list, name="instalments"),
    path("instalments/new/", actions.instalment_create, name="billing_instalment_create"),
]
