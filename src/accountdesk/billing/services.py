"""Billing writes. Each is atomic, checks the actor's permission first, locks the customer row
when money moves (see ledger.books_open), posts to the ledger and records the activity."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import changed_fields, event_record
from accountdesk.audit.services import security_record
from accountdesk.billing import ledger, selectors
from accountdesk.billing.instalments import add_months
from accountdesk.billing.models import (
    CYCLE_MONTHS,
    TERMS_DAYS,
    Agreement,
    AgreementStatus,
    BillingProfile,
    BillingType,
    Credit,
    CreditApplication,
    CreditOrigin,
    CreditRequest,
    CreditRequestStatus,
    Cycle,
    Delivery,
    Estimate,
    EstimateStatus,
    InstalmentPurchase,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerKind,
    Payment,
    PaymentAllocation,
    PaymentKind,
    PaymentMeans,
    PaymentMethod,
    PaymentMethodKind,
    RecurringInvoice,
    RecurringStatus,
    Terms,
    line_amounts,
)
from accountdesk.core import clock, periods
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_field
from accountdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from accountdesk.core.money import (
    MONEY_MAX,
    ZERO,
    InvalidAmount,
    fits_column,
    money_text,
    parse_amount,
    quantize,
    to_str,
)
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import get_scoped, require_module
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import sequence_next

# ---------------------------------------------------------------- input helpers


def _amount(raw: object, field: str = "amount", **kwargs) -> Decimal:
    if isinstance(raw, float):
        # A float has already lost the exact cents (and hides exponent notation such as 1e3).
        message = 'Send money as a string such as "12.30".'
        raise ValidationFailed(message, fields={field: message})
    try:
        return parse_amount(raw, **kwargs)
    except InvalidAmount as exc:
        raise ValidationFailed(str(exc), fields={field: str(exc)}) from None


def _text(raw: object, field: str, *, max_length: int, required: bool = True, label: str = "") -> str:
    text = " ".join(str(raw or "").split()) if field != "terms" else str(raw or "").strip()
    if required and not text:
        raise ValidationFailed(f"{label or field.capitalize()} is required.", fields={field: "Required."})
    if len(text) > max_length:
        raise ValidationFailed(
            f"{label or field.capitalize()} is too long.", fields={field: f"At most {max_length} characters."}
        )
    return refuse_card_number(text, field)


def _decimal(raw: object, field: str, *, places: int, low: Decimal, high: Decimal) -> Decimal:
    message = f"Enter a number between {low} and {high} with at most {places} decimals."
    text = str(raw).strip() if raw is not None and not isinstance(raw, bool) else ""
    if not text or "e" in text.lower():
        raise ValidationFailed(message, fields={field: message})
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(message, fields={field: message}) from None
    if not value.is_finite() or value.as_tuple().exponent < -places or not low <= value <= high:  # type: ignore[operator]
        raise ValidationFailed(message, fields={field: message})
    return value


def _fits(amount: Decimal, field: str, what: str) -> None:
    """Refuse a computed amount (a line, an invoice total) that its money column cannot hold."""
    if not fits_column(amount):
        message = f"{what} more than {MONEY_MAX:,}: lower the quantity or the price."
        raise ValidationFailed(message, fields={field: message})


def _money(amount: Decimal, customer: Customer) -> str:
    """An amount in `customer`'s currency, for the messages and texts people read."""
    return money_text(amount, customer.currency, customer.provider.locale)


def _choice(raw: object, field: str, choices) -> str:
    if raw not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationFailed(f"Choose one of {allowed}.", fields={field: f"Choose one of {allowed}."})
    return str(raw)


PAYMENT_IN_FUTURE = "A payment cannot be received in the future."


def _date(raw: object, field: str) -> dt.date:
    """Text is parsed (and bounded) by core.dates; a date object comes from code or a schema that
    bounded it already (DateIn), e.g. a billing run's day."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    return date_field(raw, field) or _date_required(field)


def _date_required(field: str) -> dt.date:
    raise ValidationFailed("Enter a date as YYYY-MM-DD.", fields={field: "Enter a date as YYYY-MM-DD."})


def _terms_of(customer: Customer) -> str:
    profile = BillingProfile.objects.filter(customer=customer).only("terms").first()
    return profile.terms if profile else Terms.NET30


# ---------------------------------------------------------------- billing profile


@transaction.atomic
def billing_profile_ensure(*, customer: Customer) -> BillingProfile:
    """The customer's profile, created with the defaults the first time it is needed."""
    profile, _ = BillingProfile.objects.get_or_create(
        customer=customer, defaults={"provider_id": customer.provider_id, "currency": customer.currency}
    )
    return profile


@transaction.atomic
def billing_profile_update(
    *,
    customer: Customer,
    actor: Actor,
    cycle: str | None = None,
    anchor_day: int | None = None,
    terms: str | None = None,
    billing_type: str | None = None,
    delivery: str | None = None,
    next_bill_date: dt.date | None = None,
) -> BillingProfile:
    """Edit the billing period and terms (an audited action: each changed field, old and new)."""
    require(actor, "billing.period")
    profile = billing_profile_ensure(customer=customer)
    values: dict = {}
    if cycle is not None:
        values["cycle"] = _choice(cycle, "cycle", Cycle)
    if anchor_day is not None:
        if isinstance(anchor_day, bool) or not isinstance(anchor_day, int) or not 1 <= anchor_day <= 28:
            raise ValidationFailed(
                "The billing day is 1 to 28.", fields={"anchor_day": "Choose a day from 1 to 28."}
            )
        values["anchor_day"] = anchor_day
    if terms is not None:
        values["terms"] = _choice(terms, "terms", Terms)
    if billing_type is not None:
        values["billing_type"] = _choice(billing_type, "billing_type", BillingType)
    if delivery is not None:
        values["delivery"] = _choice(delivery, "delivery", Delivery)
    if next_bill_date is not None:
        values["next_bill_date"] = _date(next_bill_date, "next_bill_date")
    changes = changed_fields(profile, values)
    if changes:
        profile.save()
        event_record(
            customer=customer,
            actor=actor,
            kind="billing.profile_updated",
            summary="Billing period and terms edited: " + ", ".join(changes),
            subject=profile,
            details=changes,
        )
    return profile


# ---------------------------------------------------------------- payment methods

_LONG_DIGITS = re.compile(r"\d{9,}")


def _looks_like_account_number(text: str) -> bool:
    """A run of 9+ digits (ignoring spaces and dashes) is a card or account number, not a token."""
    return bool(_LONG_DIGITS.search(re.sub(r"[\s\-.]", "", text)))


@transaction.atomic
def payment_method_add(
    *,
    customer: Customer,
    kind: str,
    token: str,
    last4: str,
    actor: Actor,
    label: str = "",
    expires_on: dt.date | None = None,
    autopay: bool = False,
    make_default: bool = False,
) -> PaymentMethod:
    """Store a gateway token and the last four digits. A full card or account number is refused."""
    require(actor, "billing.payment_methods")
    kind = _choice(kind, "kind", PaymentMethodKind)
    token = _text(token, "token", max_length=120)
    label = _text(label, "label", max_length=60, required=False)
    for field, value in (("token", token), ("label", label)):
        if _looks_like_account_number(value):
            message = "Never send a full card or account number: send the payment gateway's token."
            raise ValidationFailed(message, fields={field: message})
    if not re.fullmatch(r"\d{4}", str(last4 or "")):
        raise ValidationFailed("Give the last four digits.", fields={"last4": "Exactly four digits."})
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    has_default = PaymentMethod.objects.filter(customer=customer, is_default=True).exists()
    make_default = make_default or not has_default
    if make_default and has_default:
        PaymentMethod.objects.filter(customer=customer, is_default=True).update(is_default=False)
    method = PaymentMethod.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        kind=kind,
        label=label,
        token=token,
        last4=last4,
        expires_on=expires_on,
        autopay=bool(autopay),
        is_default=make_default,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="payment_method.added",
        summary=f"Payment method added: {method.display}" + (" (default)" if make_default else ""),
        subject=method,
        details={"autopay": method.autopay, "default": make_default},
    )
    return method


@transaction.atomic
def payment_method_set_default(
    *, method: PaymentMethod, actor: Actor, autopay: bool | None = None
) -> PaymentMethod:
    require(actor, "billing.payment_methods")
    customer = method.customer
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    PaymentMethod.objects.filter(customer=customer, is_default=True).exclude(pk=method.pk).update(
        is_default=False
    )
    method.is_default = True
    if autopay is not None:
        method.autopay = bool(autopay)
    method.save(update_fields=["is_default", "autopay"])
    event_record(
        customer=customer,
        actor=actor,
        kind="payment_method.default_set",
        summary=f"Default payment method: {method.display}",
        subject=method,
        details={"autopay": method.autopay},
    )
    return method


@transaction.atomic
def payment_method_remove(*, method: PaymentMethod, actor: Actor) -> None:
    require(actor, "billing.payment_methods")
    customer = method.customer
    display = method.display
    event_record(
        customer=customer,
        actor=actor,
        kind="payment_method.removed",
        summary=f"Payment method removed: {display}",
        details={"method": display},
    )
    method.delete()


# ---------------------------------------------------------------- invoices


def _line_values(line: dict) -> dict:
    description = _text(line.get("description"), "description", max_length=300)
    quantity = _decimal(
        line.get("quantity", "1"), "quantity", places=3, low=Decimal("0.001"), high=Decimal("1000000")
    )
    unit_price = _amount(line.get("unit_price"), "unit_price", allow_zero=True, allow_negative=True)
    tax_rate = _decimal(line.get("tax_rate", "0"), "tax_rate", places=4, low=ZERO, high=Decimal("1"))
    net, tax = line_amounts(quantity, unit_price, tax_rate)
    _fits(net + tax, "unit_price", "The line comes to")
    return {
        "description": description,
        "quantity": quantity,
        "unit_price": unit_price,
        "tax_rate": tax_rate,
        "net": net,
        "tax": tax,
    }


@transaction.atomic
def invoice_create_draft(
    *,
    customer: Customer,
    actor: Actor,
    issued_on: dt.date | None = None,
    memo: str = "",
    lines: Iterable[dict] = (),
) -> Invoice:
    require(actor, "billing.invoice")
    issued_on = _date(issued_on, "issued_on") if issued_on is not None else clock.today()
    terms = _terms_of(customer)
    invoice = Invoice.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        issued_on=issued_on,
        due_on=issued_on + dt.timedelta(days=TERMS_DAYS[terms]),
        terms=terms,
        memo=_text(memo, "memo", max_length=300, required=False),
        created_at=clock.now(),
    )
    for line in lines:
        _line_add(invoice, _line_values(line))
    event_record(
        customer=customer,
        actor=actor,
        kind="invoice.created",
        summary="Draft invoice created",
        subject=invoice,
    )
    return invoice


def _line_add(invoice: Invoice, values: dict) -> InvoiceLine:
    position = invoice.lines.count() + 1
    _fits(invoice.total + values["net"] + values["tax"], "unit_price", "The invoice would come to")
    line = InvoiceLine.objects.create(
        provider_id=invoice.provider_id, invoice=invoice, position=position, **values
    )
    invoice.total += line.net + line.tax
    invoice.save(update_fields=["total"])
    return line


@transaction.atomic
def invoice_add_line(
    *,
    invoice: Invoice,
    description: str,
    unit_price: object,
    actor: Actor,
    quantity: object = "1",
    tax_rate: object = "0",
) -> InvoiceLine:
    require(actor, "billing.invoice")
    values = _line_values(
        {"description": description, "quantity": quantity, "unit_price": unit_price, "tax_rate": tax_rate}
    )
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_draft:
        raise Conflict("An approved or void invoice is frozen: lines cannot change.")
    line = _line_add(invoice, values)
    event_record(
        customer=invoice.customer,
        actor=actor,
        kind="invoice.line_added",
        summary=f"Line added to draft #{invoice.pk}: {line.description} {amount_slot('amount')}",
        subject=invoice,
        details={"amount": to_str(line.amount)},
    )
    return line


def _approve(books: ledger.Books, invoice: Invoice, actor: Actor) -> Invoice:
    if not invoice.is_draft:
        raise Conflict(f"Invoice {invoice.label} is already {invoice.status}.")
    if invoice.total <= 0:
        raise ValidationFailed(
            "An invoice needs lines totalling more than zero.", fields={"lines": "Add a line."}
        )
    number = sequence_next(provider=books.customer.provider, name="invoice")
    invoice.number = f"INV-{number:06d}"
    invoice.status = InvoiceStatus.APPROVED
    invoice.due_on = invoice.issued_on + dt.timedelta(days=TERMS_DAYS[invoice.terms])
    invoice.approved_at = clock.now()
    invoice.save(update_fields=["number", "status", "due_on", "approved_at"])
    ledger.post(
        books,
        kind=LedgerKind.INVOICE_APPROVED,
        amount=invoice.total,
        description=f"Invoice {invoice.number}",
        subject=invoice,
    )
    ledger.invoice_balance_move(books, invoice, invoice.total)
    event_record(
        customer=books.customer,
        actor=actor,
        kind="invoice.approved",
        summary=f"Invoice {invoice.number} approved: {amount_slot('total')}, due {invoice.due_on:%Y-%m-%d}",
        subject=invoice,
        details={"total": to_str(invoice.total), "due_on": invoice.due_on},
    )
    _credit_settle(books, actor, touched=invoice)
    return invoice


@transaction.atomic
def invoice_approve(*, invoice: Invoice, actor: Actor) -> Invoice:
    """Number the invoice (gapless, per provider, inside this transaction) and freeze it."""
    require(actor, "billing.invoice")
    books = ledger.books_open(invoice.customer)
    invoice = Invoice.objects.get(pk=invoice.pk)
    _approve(books, invoice, actor)
    ledger.books_close(books)
    return invoice


@transaction.atomic
def invoice_issue(
    *,
    customer: Customer,
    lines: Iterable[dict],
    actor: Actor,
    issued_on: dt.date | None = None,
    source_key: str | None = None,
    memo: str = "",
) -> Invoice:
    """Create and approve an invoice in one go. With a source_key (e.g. "recurring:12:2025-03-01")
    an invoice already issued under that key is returned instead, so billing runs can repeat."""
    require(actor, "billing.invoice")
    books = ledger.books_open(customer)
    if source_key:
        existing = Invoice.objects.filter(provider_id=customer.provider_id, source_key=source_key).first()
        if existing is not None:
            return existing
    values = [_line_values(line) for line in lines]
    _fits(sum((v["net"] + v["tax"] for v in values), ZERO), "lines", "The invoice would come to")
    issued_on = _date(issued_on, "issued_on") if issued_on is not None else clock.today()
    terms = _terms_of(customer)
    invoice = Invoice.objects.create(
        provider_id=customer.provider_id,
        customer=books.customer,
        issued_on=issued_on,
        due_on=issued_on,
        terms=terms,
        memo=_text(memo, "memo", max_length=300, required=False),
        source_key=source_key or None,
        created_at=clock.now(),
    )
    for position, value in enumerate(values, start=1):
        InvoiceLine.objects.create(
            provider_id=customer.provider_id, invoice=invoice, position=position, **value
        )
        invoice.total += value["net"] + value["tax"]
    invoice.save(update_fields=["total"])
    _approve(books, invoice, actor)
    ledger.books_close(books)
    return invoice


@transaction.atomic
def invoice_void(*, invoice: Invoice, reason: str, actor: Actor) -> Invoice:
    """Void an invoice with a reason. Money already applied to it becomes account credit."""
    require(actor, "billing.invoice")
    reason = _text(reason, "reason", max_length=300)
    books = ledger.books_open(invoice.customer)
    invoice = Invoice.objects.get(pk=invoice.pk)
    if not invoice.can_void:
        raise Conflict(f"Invoice {invoice.label} is already void.")
    was_approved = invoice.is_approved
    released = invoice.total - invoice.balance
    if was_approved:
        ledger.post(
            books,
            kind=LedgerKind.INVOICE_VOIDED,
            amount=-invoice.total,
            description=f"Invoice {invoice.number} voided: {reason}",
            subject=invoice,
        )
        ledger.invoice_balance_move(books, invoice, -invoice.balance)
        if released > 0:
            ledger.credit_move(
                books,
                Credit(
                    provider_id=invoice.provider_id,
                    customer=books.customer,
                    issued_on=clock.today(),
                    amount=released,
                    remaining=ZERO,
                    reason=f"Applied to voided invoice {invoice.number}",
                    origin=CreditOrigin.VOIDED_INVOICE,
                    actor_type=actor.type,
                    actor=actor.user,
                    actor_name=actor.name,
                    created_at=clock.now(),
                ),
                released,
            )
    invoice.status = InvoiceStatus.VOID
    invoice.void_reason = reason
    invoice.voided_at = clock.now()
    invoice.save(update_fields=["status", "void_reason", "voided_at"])
    event_record(
        customer=books.customer,
        actor=actor,
        kind="invoice.voided",
        summary=f"Invoice {invoice.label} voided: {reason}",
        subject=invoice,
        details={"reason": reason, "released_to_credit": released if was_approved else ZERO},
    )
    _credit_settle(books, actor, touched=invoice)
    ledger.books_close(books)
    return invoice


# ---------------------------------------------------------------- payments and refunds


def _open_invoices(customer: Customer):
    return Invoice.objects.filter(customer=customer).open().order_by("due_on", "id")


@transaction.atomic
def payment_record(
    *,
    customer: Customer,
    amount: object,
    method: str,
    actor: Actor,
    reference: str = "",
    received_on: dt.date | None = None,
    allocations: dict[int, object] | None = None,
) -> Payment:
    """Record money received. It pays the oldest open invoices first, or the ones the user picked
    (`allocations` {invoice_id: amount}); what is left becomes account credit."""
    require(actor, "billing.payment")
    amount = _amount(amount)
    method = _text(method, "method", max_length=40)
    reference = _text(reference, "reference", max_length=120, required=False)
    received_on = _date(received_on, "received_on") if received_on is not None else clock.today()
    if received_on > clock.today():
        raise ValidationFailed(PAYMENT_IN_FUTURE, fields={"received_on": PAYMENT_IN_FUTURE})
    books = ledger.books_open(customer)
    plan: list[tuple[Invoice, Decimal]] = []
    if allocations:
        for invoice_id, raw in allocations.items():
            invoice = get_scoped(
                Invoice.objects.filter(customer=customer, status=InvoiceStatus.APPROVED),
                provider=customer.provider_id,
                pk=invoice_id,
            )
            part = _amount(raw, f"allocations.{invoice_id}")
            if part > invoice.balance:
                raise ValidationFailed(
                    f"{invoice.number} has only {_money(invoice.balance, customer)} open.",
                    fields={f"allocations.{invoice_id}": "More than the invoice's open balance."},
                )
            plan.append((invoice, part))
        if sum(p for _, p in plan) > amount:
            raise ValidationFailed(
                "The allocations add up to more than the payment.",
                fields={"allocations": "Too much allocated."},
            )
    else:
        left = amount
        for invoice in _open_invoices(customer).iterator(chunk_size=200):
            if left <= 0:
                break
            part = min(left, invoice.balance)
            plan.append((invoice, part))
            left -= part
    payment = Payment.objects.create(
        provider_id=customer.provider_id,
        customer=books.customer,
        kind=PaymentKind.PAYMENT,
        amount=amount,
        method=method,
        reference=reference,
        received_on=received_on,
        created_at=clock.now(),
        actor_name=actor.name,
    )
    ledger.post(
        books,
        kind=LedgerKind.PAYMENT,
        amount=-amount,
        description=f"Payment by {PaymentMeans.phrase(method, reference)}",
        subject=payment,
    )
    PaymentAllocation.objects.bulk_create(
        [
            PaymentAllocation(provider_id=customer.provider_id, payment=payment, invoice=inv, amount=p)
            for inv, p in plan
        ]
    )
    for invoice, part in plan:
        ledger.invoice_balance_move(books, invoice, -part)
    allocated = sum((p for _, p in plan), ZERO)
    excess = amount - allocated
    if excess > 0:
        ledger.credit_move(
            books,
            Credit(
                provider_id=customer.provider_id,
                customer=books.customer,
                issued_on=received_on,
                amount=excess,
                remaining=ZERO,
                reason=f"Overpayment of {_money(excess, customer)}",
                origin=CreditOrigin.OVERPAYMENT,
                source_payment=payment,
                actor_type=actor.type,
                actor=actor.user,
                actor_name=actor.name,
                created_at=clock.now(),
            ),
            excess,
        )
    books.summary.lifetime_value += amount
    paid = ", ".join(f"{inv.number} {to_str(p)}" for inv, p in plan)
    event_record(
        customer=books.customer,
        actor=actor,
        kind="payment.recorded",
        summary=f"Payment of {amount_slot('amount')} by {PaymentMeans.phrase(method, reference)}",
        subject=payment,
        details={
            "amount": to_str(amount),
            "allocated": paid or "none",
            "to_credit": excess,
            "received_on": received_on,
        },
    )
    ledger.books_close(books)
    return payment


@transaction.atomic
def payment_refund(*, payment: Payment, amount: object, reason: str, actor: Actor) -> Payment:
    """Pay back part or all of a payment. The money comes first from what the payment left as
    credit, then off the invoices it paid (reopening them, newest first), then from other credit."""
    require(actor, "billing.payment")
    amount = _amount(amount)
    reason = _text(reason, "reason", max_length=300)
    books = ledger.books_open(payment.customer)
    payment = Payment.objects.get(pk=payment.pk)
    if payment.kind != PaymentKind.PAYMENT:
        raise Conflict("Only a payment can be refunded.")
    refundable = payment.amount - payment.refunded
    if amount > refundable:
        raise ValidationFailed(
            f"At most {_money(refundable, payment.customer)} of this payment can be refunded.",
            fields={"amount": f"At most {_money(refundable, payment.customer)}."},
        )
    refund = Payment.objects.create(
        provider_id=payment.provider_id,
        customer=books.customer,
        kind=PaymentKind.REFUND,
        amount=-amount,
        method=payment.method,
        reference=payment.reference,
        received_on=clock.today(),
        refund_of=payment,
        reason=reason,
        created_at=clock.now(),
        actor_name=actor.name,
    )
    left = amount
    for credit in Credit.objects.filter(source_payment=payment, remaining__gt=0).order_by("id"):
        part = min(left, credit.remaining)
        ledger.credit_move(books, credit, -part, field="refunded")
        left -= part
    if left > 0:
        paid = (
            PaymentAllocation.objects.filter(payment__in=[payment, *payment.refunds.all()])
            .filter(invoice__status=InvoiceStatus.APPROVED)
            .values("invoice_id")
            .annotate(net=Sum("amount"))
            .order_by("-invoice_id")
        )
        for row in paid:
            if left <= 0:
                break
            invoice = Invoice.objects.get(pk=row["invoice_id"])
            part = min(left, row["net"])
            if part <= 0:
                continue
            PaymentAllocation.objects.create(
                provider_id=payment.provider_id, payment=refund, invoice=invoice, amount=-part
            )
            ledger.invoice_balance_move(books, invoice, part)
            left -= part
    if left > 0:
        for credit in Credit.objects.filter(customer=books.customer, remaining__gt=0).order_by(
            "issued_on", "id"
        ):
            if left <= 0:
                break
            part = min(left, credit.remaining)
            ledger.credit_move(books, credit, -part, field="refunded")
            left -= part
    if left > 0:
        raise Conflict("This payment's money has been applied elsewhere; there is not enough to refund.")
    payment.refunded += amount
    payment.save(update_fields=["refunded"])
    ledger.post(
        books,
        kind=LedgerKind.REFUND,
        amount=amount,
        description=f"Refund of payment {payment.reference or payment.pk}: {reason}",
        subject=refund,
    )
    books.summary.lifetime_value -= amount
    event_record(
        customer=books.customer,
        actor=actor,
        kind="payment.refunded",
        summary=f"Refund of {amount_slot('amount')}: {reason}",
        subject=refund,
        details={"amount": to_str(amount), "payment": payment.pk, "reason": reason},
    )
    ledger.books_close(books)
    return refund


# ---------------------------------------------------------------- credits


AGENT_CREDIT_WINDOW = dt.timedelta(days=30)


def agent_credit_window_used(*, customer: Customer, actor: Actor) -> Decimal:
    """What this actor's user has credited this customer themselves over the last 30 days (a
    rolling window, to the second). Credits they asked for and a billing user approved are the
    approver's, so they do not count."""
    if actor.user is None:
        return ZERO
    return selectors.credit_issued_by(
        customer=customer, user=actor.user, since=clock.now() - AGENT_CREDIT_WINDOW
    )


def agent_credit_allowance(*, customer: Customer, actor: Actor) -> tuple[Decimal, Decimal] | None:
    """The agents' credit rule in one place: None for a role that issues any amount (billing,
    admin); else (the most for one credit, what is left of the 30-day limit for this customer)."""
    if actor.can("billing.credit"):
        return None
    provider = customer.provider
    used = agent_credit_window_used(customer=customer, actor=actor)
    return provider.agent_credit_limit, max(ZERO, provider.agent_credit_limit_30d - used)


def _credit_post(books: ledger.Books, *, amount: Decimal, reason: str, actor: Actor,
                 approved: CreditRequest | None = None) -> Credit:  # fmt: skip
    credit = Credit(
        provider_id=books.customer.provider_id,
        customer=books.customer,
        issued_on=clock.today(),
        amount=amount,
        remaining=ZERO,
        reason=reason,
        origin=CreditOrigin.ISSUED,
        actor_type=actor.type,
        actor=actor.user,
        actor_name=actor.name,
        created_at=clock.now(),
    )
    ledger.credit_move(books, credit, amount)
    ledger.post(
        books, kind=LedgerKind.CREDIT_ISSUED, amount=-amount, description=f"Credit: {reason}", subject=credit
    )
    details = {"amount": to_str(amount), "reason": reason}
    summary = f"Credit of {amount_slot('amount')} issued: {reason}"
    if approved is not None:
        details.update(request=approved.pk, requested_by=approved.requested_by_name)
        summary = (
            f"Credit of {amount_slot('amount')} issued (requested by {approved.requested_by_name}): {reason}"
        )
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.issued",
        summary=summary,
        subject=credit,
        details=details,
    )
    _credit_settle(books, actor)
    return credit


def _credit_request(books: ledger.Books, *, amount: Decimal, reason: str, actor: Actor, used: Decimal,
                    limit: Decimal) -> CreditRequest:  # fmt: skip
    request = CreditRequest.objects.create(
        provider_id=books.customer.provider_id,
        customer=books.customer,
        amount=amount,
        reason=reason,
        window_used=used,
        window_limit=limit,
        requested_at=clock.now(),
        requested_by_type=actor.type,
        requested_by=actor.user,
        requested_by_name=actor.name,
    )
    details = {"amount": amount, "reason": reason, "credited_in_30_days": used, "limit_30_days": limit}
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.requested",
        summary=f"Credit of {amount_slot('amount')} awaits approval: {reason}",
        subject=request,
        details=details,
    )
    security_record(
        provider=books.customer.provider,
        kind="credit.approval_requested",
        summary=(
            f"{actor.name} asked to credit {_money(amount, books.customer)} to "
            f"{books.customer.number}: above the {_money(limit, books.customer)} an agent may credit "
            f"one customer in 30 days ({_money(used, books.customer)} already)"
        ),
        actor=actor,
        details={"customer": books.customer.pk, "request": request.pk, **details},
    )
    return request


@transaction.atomic
def credit_issue(*, customer: Customer, amount: object, reason: str, actor: Actor) -> Credit | CreditRequest:
    """Issue account credit. Billing and admin: any amount. Agents: at most the provider's
    per-credit limit (Provider.agent_credit_limit; above it, permission is denied), and at most
    Provider.agent_credit_limit_30d to one customer over 30 days: a credit that would go above
    that is not issued but becomes a CreditRequest awaiting a billing user's approval, which is
    what this returns then."""
    unlimited = actor.can("billing.credit")
    if not unlimited and not actor.can("billing.credit_limited"):
        raise PermissionDenied()
    amount = _amount(amount)
    reason = _text(reason, "reason", max_length=300)
    once = customer.provider.agent_credit_limit
    if not unlimited and amount > once:
        raise PermissionDenied(f"Your role may issue at most {_money(once, customer)} of credit at a time.")
    books = ledger.books_open(customer)
    if not unlimited:
        # Measured under the customer's row lock, so two credits at once cannot both fit.
        used = agent_credit_window_used(customer=books.customer, actor=actor)
        limit = books.customer.provider.agent_credit_limit_30d
        if used + amount > limit:
            return _credit_request(books, amount=amount, reason=reason, actor=actor, used=used, limit=limit)
    credit = _credit_post(books, amount=amount, reason=reason, actor=actor)
    ledger.books_close(books)
    return credit


def _pending_request(books: ledger.Books, credit_request: CreditRequest) -> CreditRequest:
    row = CreditRequest.objects.select_for_update().get(pk=credit_request.pk, customer=books.customer)
    if row.status != CreditRequestStatus.PENDING:
        raise Conflict(f"This credit request was already {row.get_status_display().lower()}.")
    return row


@transaction.atomic
def credit_request_approve(*, credit_request: CreditRequest, actor: Actor) -> CreditRequest:
    """Approve a pending credit request: the credit is issued now, by the approver, its activity
    entry naming who asked for it."""
    require(actor, "billing.credit")
    books = ledger.books_open(credit_request.customer)
    row = _pending_request(books, credit_request)
    row.credit = _credit_post(books, amount=row.amount, reason=row.reason, actor=actor, approved=row)
    row.status = CreditRequestStatus.APPROVED
    row.decided_at, row.decided_by, row.decided_by_name = clock.now(), actor.user, actor.name
    row.save(update_fields=["credit", "status", "decided_at", "decided_by", "decided_by_name"])
    ledger.books_close(books)
    return row


@transaction.atomic
def credit_request_decline(*, credit_request: CreditRequest, reason: str, actor: Actor) -> CreditRequest:
    """Decline a pending credit request, with a reason; nothing is credited."""
    require(actor, "billing.credit")
    reason = _text(reason, "reason", max_length=300)
    books = ledger.books_open(credit_request.customer)
    row = _pending_request(books, credit_request)
    row.status = CreditRequestStatus.DECLINED
    row.decline_reason = reason
    row.decided_at, row.decided_by, row.decided_by_name = clock.now(), actor.user, actor.name
    row.save(update_fields=["status", "decline_reason", "decided_at", "decided_by", "decided_by_name"])
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.declined",
        summary=f"Credit of {amount_slot('amount')} asked by {row.requested_by_name} declined: {reason}",
        subject=row,
        details={"amount": row.amount, "requested_by": row.requested_by_name, "reason": reason},
    )
    return row


@transaction.atomic
def credit_apply(
    *, invoice: Invoice, actor: Actor, credit: Credit | None = None, amount: object = None
) -> list[CreditApplication]:
    """Apply account credit to an approved invoice: one credit, or the oldest credits first.
    Without an amount, as much as the invoice's open balance and the credit allow."""
    require(actor, "billing.credit_limited")
    limit = _amount(amount) if amount not in (None, "") else None
    books = ledger.books_open(invoice.customer)
    invoice = Invoice.objects.get(pk=invoice.pk)
    if not invoice.is_open:
        raise Conflict(f"Invoice {invoice.label} has no open balance.")
    wanted = invoice.balance if limit is None else limit
    if wanted > invoice.balance:
        raise ValidationFailed(
            f"{invoice.number} has only {_money(invoice.balance, invoice.customer)} open.",
            fields={"amount": "More than is open."},
        )
    applications = _credit_to_invoice(books, invoice, wanted, actor=actor, credit=credit)
    applied = sum((a.amount for a in applications), ZERO)
    if applied <= 0:
        raise Conflict("There is no account credit to apply.")
    if limit is not None and applied < wanted:
        raise ValidationFailed(
            f"Only {_money(applied, invoice.customer)} of credit is available.",
            fields={"amount": "More than the credit available."},
        )
    ledger.books_close(books)
    return applications


def _credit_to_invoice(
    books: ledger.Books, invoice: Invoice, wanted: Decimal, *, actor: Actor, credit: Credit | None = None
) -> list[CreditApplication]:
    """Apply up to `wanted` of the customer's credit (oldest first, or just `credit`) to `invoice`."""
    credits = Credit.objects.filter(customer=books.customer, remaining__gt=0).order_by("issued_on", "id")
    if credit is not None:
        credits = credits.filter(pk=credit.pk)
    applications = []
    left = wanted
    for row in credits:
        if left <= 0:
            break
        part = min(left, row.remaining)
        applications.append(
            CreditApplication.objects.create(
                provider_id=invoice.provider_id,
                credit=row,
                invoice=invoice,
                amount=part,
                applied_at=clock.now(),
            )
        )
        ledger.credit_move(books, row, -part)
        ledger.invoice_balance_move(books, invoice, -part)
        left -= part
    applied = wanted - left
    if applied <= 0:
        return applications
    ledger.post(
        books,
        kind=LedgerKind.CREDIT_APPLIED,
        amount=ZERO,
        description=f"Credit of {_money(applied, invoice.customer)} applied to {invoice.number}",
        subject=invoice,
    )
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.applied",
        summary=f"Credit of {amount_slot('amount')} applied to {invoice.number}",
        subject=invoice,
        details={"amount": to_str(applied)},
    )
    return applications


def _credit_settle(books: ledger.Books, actor: Actor, *, touched: Invoice | None = None) -> None:
    """With the provider's automatic application on, let account credit pay the open invoices,
    the oldest due first, so credit never sits beside an unpaid invoice. `touched` is the caller's
    instance of an invoice it has just changed, used in place of a fresh copy so it stays current."""
    if not books.customer.provider.credit_auto_apply:
        return
    if books.summary.account_credit <= 0 or books.summary.total_due <= 0:
        return
    for invoice in _open_invoices(books.customer):
        if books.summary.account_credit <= 0:
            break
        if touched is not None and invoice.pk == touched.pk:
            invoice = touched
        _credit_to_invoice(books, invoice, min(invoice.balance, books.summary.account_credit), actor=actor)


# ---------------------------------------------------------------- instalments, recurring invoices


@transaction.atomic
def instalment_create(
    *,
    customer: Customer,
    description: str,
    total: object,
    instalments_total: int,
    actor: Actor,
    purchased_on: dt.date | None = None,
) -> InstalmentPurchase:
    """An instalment purchase: `total` split into equal instalments (rounded half up; the last
    instalment takes the difference), billed monthly by the billing run from the purchase date."""
    require_module(customer.provider, "instalments")
    require(actor, "billing.instalments")
    description = _text(description, "description", max_length=200)
    total = _amount(total, "total")
    if (
        isinstance(instalments_total, bool)
        or not isinstance(instalments_total, int)
        or not 1 <= instalments_total <= 120
    ):
        raise ValidationFailed("From 1 to 120 instalments.", fields={"instalments_total": "From 1 to 120."})
    purchased_on = _date(purchased_on, "purchased_on") if purchased_on is not None else clock.today()
    purchase = InstalmentPurchase.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        description=description,
        purchased_on=purchased_on,
        total=total,
        instalments_total=instalments_total,
        instalment_amount=quantize(total / instalments_total),
        next_bill_on=purchased_on,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="instalment.created",
        summary=(
            f"Instalment purchase: {description}, {amount_slot('total')} in {instalments_total} instalments"
        ),
        subject=purchase,
        details={"total": to_str(total), "instalments": instalments_total},
    )
    return purchase


def instalment_bill(*, purchase: InstalmentPurchase, on: dt.date, actor: Actor) -> Invoice | None:
    """Issue the instalment due on `on` (idempotent by its number)."""
    with transaction.atomic():
        purchase = InstalmentPurchase.objects.select_for_update().get(pk=purchase.pk)
        if purchase.instalments_remaining <= 0 or purchase.next_bill_on is None or purchase.next_bill_on > on:
            return None
        index, n = purchase.instalments_billed + 1, purchase.instalments_total
        is_last = index == purchase.instalments_total
        amount = purchase.remaining_amount if is_last else purchase.instalment_amount
        invoice = invoice_issue(
            customer=purchase.customer,
            lines=[
                {
                    "description": f"{purchase.description}: instalment {index} of {n}",
                    "unit_price": str(amount),
                }
            ],
            issued_on=on,
            actor=actor,
            source_key=f"instalment:{purchase.pk}:{index}",
        )
        purchase.instalments_billed = index
        purchase.next_bill_on = None if is_last else add_months(purchase.purchased_on, index)
        purchase.save(update_fields=["instalments_billed", "next_bill_on"])
        event_record(
            customer=purchase.customer,
            actor=actor,
            kind="instalment.billed",
            summary=f"Instalment {index} of {purchase.instalments_total} billed: {purchase.description}",
            subject=purchase,
        )
        return invoice


@transaction.atomic
def recurring_invoice_create(
    *,
    customer: Customer,
    description: str,
    amount: object,
    actor: Actor,
    schedule: str = Cycle.MONTHLY,
    next_run_on: dt.date | None = None,
    tax_rate: object = "0",
) -> RecurringInvoice:
    require(actor, "billing.invoice")
    description = _text(description, "description", max_length=200)
    amount = _amount(amount)
    schedule = _choice(schedule, "schedule", Cycle)
    tax = _decimal(tax_rate, "tax_rate", places=4, low=ZERO, high=Decimal("1"))
    next_run_on = _date(next_run_on, "next_run_on") if next_run_on is not None else clock.today()
    recurring = RecurringInvoice.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        description=description,
        schedule=schedule,
        amount=amount,
        tax_rate=tax,
        anchor_day=next_run_on.day,
        next_run_on=next_run_on,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="recurring_invoice.created",
        summary=f"Recurring invoice: {description}, {amount_slot('amount')} {schedule}",
        subject=recurring,
        details={"amount": to_str(amount)},
    )
    return recurring


@transaction.atomic
def recurring_invoice_set_status(
    *, recurring: RecurringInvoice, status: str, actor: Actor
) -> RecurringInvoice:
    """Pause, resume or end a recurring invoice; an ended one stays ended."""
    require(actor, "billing.invoice")
    status = _choice(status, "status", RecurringStatus)
    # Locked as the billing run locks it, so a run never issues from a schedule paused meanwhile.
    recurring = RecurringInvoice.objects.select_for_update().get(pk=recurring.pk)
    old = recurring.status
    if not recurring.can_become(status):
        if old == RecurringStatus.ENDED:
            raise Conflict("An ended recurring invoice cannot change.")
        raise Conflict(f"This recurring invoice is already {recurring.get_status_display().lower()}.")
    recurring.status = status
    details: dict = {"status": [old, status]}
    today = clock.today()
    if status == RecurringStatus.ACTIVE and recurring.next_run_on < today:
        # Resumed after a pause: the runs missed while paused are not billed; the schedule goes
        # on from its first run on or after today.
        next_run_on = _first_run_on_or_after(recurring, today)
        details["next_run_on"] = [recurring.next_run_on, next_run_on]
        recurring.next_run_on = next_run_on
    recurring.save(update_fields=["status", "next_run_on"])
    event_record(
        customer=recurring.customer,
        actor=actor,
        kind="recurring_invoice.status_changed",
        summary=f"Recurring invoice {recurring.description}: {old} → {status}",
        subject=recurring,
        details=details,
    )
    return recurring


def recurring_invoice_run(*, recurring: RecurringInvoice, on: dt.date, actor: Actor) -> Invoice | None:
    """Issue the run due on or before `on`, and move next_run_on one period on."""
    with transaction.atomic():
        recurring = RecurringInvoice.objects.select_for_update().get(pk=recurring.pk)
        if recurring.status != RecurringStatus.ACTIVE or recurring.next_run_on > on:
            return None
        run_on = recurring.next_run_on
        invoice = invoice_issue(
            customer=recurring.customer,
            lines=[
                {
                    "description": recurring.description,
                    "unit_price": str(recurring.amount),
                    "tax_rate": str(recurring.tax_rate),
                }
            ],
            issued_on=run_on,
            actor=actor,
            source_key=f"recurring:{recurring.pk}:{run_on.isoformat()}",
        )
        recurring.next_run_on = next_run_after(
            run_on, months=CYCLE_MONTHS[recurring.schedule], anchor_day=recurring.anchor_day
        )
        recurring.save(update_fields=["next_run_on"])
        return invoice


def next_run_after(run_on: dt.date, *, months: int, anchor_day: int) -> dt.date:
    """The next run: `months` on, on the anchor day (clamped to the month's last day), so a
    schedule anchored on the 31st runs on 28/29 Feb and is back on the 31st in March."""
    return periods.next_period_start(run_on, months=months, anchor_day=anchor_day, first_month=run_on.month)


def _first_run_on_or_after(recurring: RecurringInvoice, day: dt.date) -> dt.date:
    """The schedule's first run on or after `day`, in the phase of its runs so far."""
    return periods.period_start_on_or_after(
        day,
        months=CYCLE_MONTHS[recurring.schedule],
        anchor_day=recurring.anchor_day,
        first_month=recurring.next_run_on.month,
    )


# ---------------------------------------------------------------- estimates and agreements


@transaction.atomic
def estimate_create(
    *,
    customer: Customer,
    description: str,
    total: object,
    actor: Actor,
    issued_on: dt.date | None = None,
    valid_days: int = 30,
) -> Estimate:
    require_module(customer.provider, "field_service")
    require(actor, "fieldservice.edit")
    description = _text(description, "description", max_length=300)
    total = _amount(total, "total")
    issued_on = _date(issued_on, "issued_on") if issued_on is not None else clock.today()
    number = sequence_next(provider=customer.provider, name="estimate")
    estimate = Estimate.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        number=f"EST-{number:05d}",
        description=description,
        issued_on=issued_on,
        expires_on=issued_on + dt.timedelta(days=valid_days),
        total=total,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="estimate.created",
        summary=f"Estimate {estimate.number}: {description}, {amount_slot('total')}",
        subject=estimate,
        details={"total": to_str(total)},
    )
    return estimate


@transaction.atomic
def estimate_set_status(*, estimate: Estimate, status: str, actor: Actor) -> Estimate:
    """Send, decline or expire an estimate (accepting it is estimate_accept)."""
    require_module(estimate.provider, "field_service")
    require(actor, "fieldservice.edit")
    status = _choice(status, "status", EstimateStatus)
    if not estimate.can_become(status):
        raise Conflict(f"An estimate that is {estimate.status} cannot become {status}.")
    old = estimate.status
    estimate.status = status
    estimate.save(update_fields=["status"])
    event_record(
        customer=estimate.customer,
        actor=actor,
        kind="estimate.status_changed",
        summary=f"Estimate {estimate.number}: {old} → {status}",
        subject=estimate,
        details={"status": [old, status]},
    )
    return estimate


@transaction.atomic
def estimate_accept(*, estimate: Estimate, actor: Actor) -> Invoice:
    """The customer accepted: the estimate becomes an approved invoice for its total."""
    require_module(estimate.provider, "field_service")
    require(actor, "billing.invoice")
    estimate = Estimate.objects.select_for_update().get(pk=estimate.pk)
    if not estimate.is_open:
        raise Conflict(f"An estimate that is {estimate.status} cannot be accepted.")
    invoice = invoice_issue(
        customer=estimate.customer,
        lines=[
            {
                "description": f"Estimate {estimate.number}: {estimate.description}",
                "unit_price": str(estimate.total),
            }
        ],
        actor=actor,
        source_key=f"estimate:{estimate.pk}",
    )
    estimate.status = EstimateStatus.ACCEPTED
    estimate.invoice = invoice
    estimate.save(update_fields=["status", "invoice"])
    event_record(
        customer=estimate.customer,
        actor=actor,
        kind="estimate.accepted",
        summary=f"Estimate {estimate.number} accepted: invoice {invoice.number}",
        subject=estimate,
    )
    return invoice


@transaction.atomic
def agreement_create(
    *,
    customer: Customer,
    name: str,
    starts_on: dt.date,
    value: object,
    actor: Actor,
    ends_on: dt.date | None = None,
    terms: str = "",
    status: str = AgreementStatus.ACTIVE,
) -> Agreement:
    require_module(customer.provider, "field_service")
    require(actor, "fieldservice.edit")
    name = _text(name, "name", max_length=200)
    value = _amount(value, "value", allow_zero=True)
    starts_on = _date(starts_on, "starts_on")
    ends_on = _date(ends_on, "ends_on") if ends_on is not None else None
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed(
            "The agreement ends before it starts.", fields={"ends_on": "On or after the start."}
        )
    agreement = Agreement.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        terms=_text(terms, "terms", max_length=20000, required=False),
        value=value,
        status=_choice(status, "status", AgreementStatus),
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="agreement.created",
        summary=f"Agreement {name}: {amount_slot('value')} from {starts_on.isoformat()}",
        subject=agreement,
        details={"value": to_str(value)},
    )
    return agreement
