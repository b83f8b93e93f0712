"""Schemathesis against our own OpenAPI document, in process: every operation, as each role.

Each operation gets examples from its schema (valid and deliberately invalid), aimed mostly at
the demo world's real ids so the requests reach the code behind the 404s; then a stateful run
follows the links the document's responses give (created ids fed to the operations that take
them). Two checks: no server error, and every response matches the schema it documents.

ACCOUNTDESK_FUZZ_EXAMPLES sets the examples per operation and role (CI: `make fuzz`; `make
fuzz-long` before a release).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accountdesk.billing.models import CreditRequest, Invoice, Payment
from accountdesk.contracts.models import Contract
from accountdesk.customers.models import Contact, Customer, CustomFieldDefinition
from accountdesk.demo import data
from accountdesk.exports.registry import EXPORTS
from accountdesk.fieldservice.models import Job
from accountdesk.network.models import Equipment
from accountdesk.servicedesk.models import Ticket
from accountdesk.subscriptions.models import Subscription
from tests.fuzz.conftest import TALLY

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("ACCOUNTDESK_FUZZ_EXAMPLES", "4"))
# A fixed seed by default so CI reruns the same requests; ACCOUNTDESK_FUZZ_RANDOM=1 explores.
DERANDOMIZE = os.environ.get("ACCOUNTDESK_FUZZ_RANDOM", "") != "1"
CHECKS = [not_a_server_error, response_schema_conformance]

# Path parameter -> the values worth aiming at (filled once the world exists). Generated values
# still come through half the time, so unknown and malformed ids are tried too.
AIM: dict[str, list] = {}


def _aim_at(world) -> None:
    provider = world["provider"]
    customers = list(Customer.objects.filter(provider=provider).order_by("-id"))
    # The customer with the longest history, mostly; sometimes another, or another provider's.
    hub = max(customers, key=lambda c: Invoice.objects.filter(customer=c).count())
    foreign = Customer.objects.exclude(provider=provider).order_by("id").first()
    AIM.clear()
    AIM["customer_id"] = [hub.pk] * 6 + [customers[0].pk, foreign.pk]
    by = {"customer": hub}
    AIM["contact_id"] = list(Contact.objects.filter(**by).values_list("pk", flat=True))
    AIM["field_id"] = list(
        CustomFieldDefinition.objects.filter(provider=provider).values_list("pk", flat=True)
    )
    AIM["invoice_id"] = list(Invoice.objects.filter(**by).values_list("pk", flat=True))
    AIM["payment_id"] = list(Payment.objects.filter(**by).values_list("pk", flat=True))
    AIM["request_id"] = list(CreditRequest.objects.filter(**by).values_list("pk", flat=True))
    AIM["subscription_id"] = list(Subscription.objects.filter(**by).values_list("pk", flat=True))
    AIM["ticket_id"] = list(Ticket.objects.filter(**by).values_list("pk", flat=True))
    AIM["job_id"] = list(Job.objects.filter(**by).values_list("pk", flat=True))
    AIM["equipment_id"] = list(Equipment.objects.filter(**by).values_list("pk", flat=True))
    AIM["contract_id"] = list(Contract.objects.filter(**by).values_list("pk", flat=True))
    AIM["tab"] = sorted(EXPORTS)
    for name in [name for name, values in AIM.items() if not values]:
        del AIM[name]


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    """Swap generated ids for real ones half the time (per parameter)."""
    if not path_parameters:
        return st.just(path_parameters)
    choices = {
        name: st.one_of(st.just(value), st.sampled_from(AIM[name])) if name in AIM else st.just(value)
        for name, value in path_parameters.items()
    }
    return st.fixed_dictionaries(choices)


@schemathesis.hook
def after_call(context, case, response):
    label = f"{case.operation.method.upper()} {case.operation.path}"
    TALLY["operations"][label] += 1
    TALLY["statuses"][response.status_code] += 1
    TALLY["answers"][f"{label} {response.status_code}"] += 1


def _load(world):
    token = world["tokens"]["admin"]
    return schemathesis.openapi.from_wsgi(
        "/api/openapi.json", get_wsgi_application(), headers={"Authorization": f"Bearer {token}"}
    )


def _fuzz(operation, mode, headers) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.target, Phase.shrink],
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("role", data.ROLES)
def test_no_operation_answers_a_server_error_or_breaks_its_schema(fuzz_world, fuzz_settings, db, role):
    _aim_at(fuzz_world)
    schema = _load(fuzz_world)
    headers = {"Authorization": f"Bearer {fuzz_world['tokens'][role]}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, headers)
            except Exception as exc:  # every operation runs; the failures are listed together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize("role", ["admin", "agent"])
def test_sequences_of_calls_linked_by_their_responses_never_fail(fuzz_world, fuzz_settings, db, role):
    """Stateful: the links schemathesis infers from the document (an id a response gives, fed to
    the operations that take it) chain calls into sequences; the same two checks after each."""
    _aim_at(fuzz_world)
    schema = _load(fuzz_world)
    headers = {"Authorization": f"Bearer {fuzz_world['tokens'][role]}"}

    class Sequences(schema.as_state_machine()):
        # Each sequence starts from the same records: what one wrote is rolled back before the
        # next, so a replayed sequence meets the state it met the first time (Hypothesis checks
        # that a replay draws the same data).
        def setup(self):
            self._sequence = transaction.atomic()
            self._sequence.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._sequence.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Sequences.run(
        settings=settings(
            max_examples=EXAMPLES * 5,
            stateful_step_count=10,
            deadline=None,
            database=None,
            derandomize=DERANDOMIZE,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate, Phase.target, Phase.shrink],
        )
    )
