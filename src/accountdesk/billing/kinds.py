"""The billing activity kinds (group "billing")."""

from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("invoice.created", "Invoice drafted"),
    ("invoice.line_added", "Invoice line added"),
    ("invoice.approved", "Invoice approved"),
    ("invoice.voided", "Invoice voided"),
    ("invoice.emailed", "Invoice emailed"),
    ("invoice.not_emailed", "Invoice not emailed"),
    ("payment.recorded", "Payment recorded"),
    ("payment.refunded", "Payment refunded"),
    ("credit.issued", "Credit issued"),
    ("credit.requested", "Credit awaiting approval"),
    ("credit.declined", "Credit request declined"),
    ("credit.applied", "Credit applied"),
    ("billing.profile_updated", "Billing period and terms edited"),
    ("payment_method.added", "Payment method added"),
    ("payment_method.default_set", "Default payment method changed"),
    ("payment_method.removed", "Payment method removed"),
    ("instalment.created", "Instalment purchase created"),
    ("instalment.billed", "Instalment billed"),
    ("recurring_invoice.created", "Recurring invoice created"),
    ("recurring_invoice.status_changed", "Recurring invoice status changed"),
    ("estimate.created", "Estimate created"),
    ("estimate.status_changed", "Estimate status changed"),
    ("estimate.accepted", "Estimate accepted"),
    ("agreement.created", "Agreement created"),
    ("statement.sent", "Statement sent"),
    ("dispute.raised", "Dispute raised"),
    ("dispute.resolved", "Dispute resolved"),
]:
    register_kind(_name, "billing", _label)
