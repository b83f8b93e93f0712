"""`accountdesk check --deploy` warns while payments go through the test gateway (no money moves)."""

from django.core.checks import Tags, Warning, register

from accountdesk.payments.gateways import gateway_name


@register(Tags.security, deploy=True)
def test_gateway_in_production(app_configs, **kwargs):
    if gateway_name() != "test":
        return []
    return [
        Warning(
            "Online payments use the test gateway: customers can 'pay' with test cards and no money moves.",
            hint="Set ACCOUNTDESK_PAYMENT_GATEWAY=stripe and the ACCOUNTDESK_STRIPE_* settings.",
            id="payments.W001",
        )
    ]
