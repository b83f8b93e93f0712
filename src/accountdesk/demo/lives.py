"""One demo customer's life: its events planned (status changes, notes, edits, contacts, alerts,
tags, self-service changes) and replayed in time order with the clock at each, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers import services as customer_services
from accountdesk.customers.models import (
    CustomerType,
    CustomFieldDefinition,
    Status,
    Tag,
)
from accountdesk.demo import data
from accountdesk.demo.context import DemoContext
from accountdesk.demo.people import People, pick
from accountdesk.notes.services import note_add
from accountdesk.tenancy.models import Provider, User

if TYPE_CHECKING:
    from accountdesk.demo.generator import CustomerState

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)

Step = Callable[[], None]
At = Callable[[dt.datetime, Step], None]  # schedules a step at its moment


class Lives(People):
    """ProviderBuilder's part that plays each customer's timeline (the people in it come from People)."""

    # Set by ProviderBuilder: the run's "now", the provider, its managers, custom fields and context.
    now: dt.datetime
    provider: Provider
    account_managers: list[User]
    fields: list[CustomFieldDefinition]
    ctx: DemoContext

    # ---- one customer's life -----------------------------------------------------------------

    def _play(self, state: CustomerState) -> None:
        """Plan the customer's events, then replay them in time order with the clock at each."""
        events: list[tuple[dt.datetime, int, Step]] = []

        def at(moment: dt.datetime, fn: Step) -> None:
            events.append((min(moment, self.now - MINUTE), len(events), fn))

        self._plan_events(state, at)
        for moment, _, fn in sorted(events, key=lambda e: (e[0], e[1])):
            clock.freeze(moment)
            fn()
            state.last_at = moment
        clock.freeze(self.now)

    def _plan_events(self, state: CustomerState, at: At) -> None:
        rng, plan = self.rng, state.plan
        business = plan.type == CustomerType.BUSINESS
        identity = self._identity(business)
        t0 = plan.joined_at
        creator = self._creator()
        fields: dict[str, Any] = {**identity["fields"], "group": self._group_for(business)}
        if business or rng.random() < 0.15:
            fields["account_manager"] = rng.choice(self.account_managers or self.agents)
        tags = self._tags_for(business)
        if creator.type == "api" and plan.status != Status.PROSPECT:
            # The web sign-up takes the first payment and provisions at once: born active.
            fields["status"] = Status.ACTIVE

        def create() -> None:
            state.customer = customer_services.customer_create(
                provider=self.provider, data=fields, tags=tags, actor=creator
            )

        at(t0, create)
        staff_actor = creator if creator.type == "staff" else Actor.staff(rng.choice(self.agents))
        for i, (row, address) in enumerate(self._contacts(identity, business)):
            at(t0 + (i + 1) * MINUTE, self._contact_adder(state, row, address, staff_actor))
        for definition, spec in zip(self.fields, self.spec.custom_fields, strict=True):
            if rng.randrange(100) < spec.filled:
                value = self._custom_value(definition, t0.date())
                at(t0 + 8 * MINUTE, self._field_setter(state, definition, value, staff_actor))

        end = self._plan_status(state, at, born_active=fields.get("status") == Status.ACTIVE)
        if not plan.heavy:
            self._plan_notes(state, at, t0 + 10 * MINUTE, end)
            self._plan_edits(state, at, identity, t0 + DAY, end)

    def _creator(self) -> Actor:
        """Most accounts are opened by an agent; some come in through the web sign-up form (the API)."""
        who = pick(self.rng, (("agent", 60), ("admin", 10), ("api", 30)))
        if who == "api":
            return Actor.api(self.staff["admin"])
        return Actor.staff(self.author(who))

    def _plan_status(self, state: CustomerState, at: At, *, born_active: bool) -> dt.datetime:
        """Schedule the status changes that lead to the planned status; return when the account went quiet."""
        rng, plan, ctx, now = self.rng, state.plan, self.ctx, self.now
        t0 = plan.joined_at
        if plan.status == Status.PROSPECT:
            return now
        if born_active:
            activated = t0
        else:
            activated = t0 + dt.timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 6))
            activated = min(activated, now - DAY)
            who = ctx.system() if rng.random() < 0.4 else Actor.staff(rng.choice(self.agents))
            at(activated, self._status_changer(state, Status.ACTIVE, rng.choice(data.ACTIVATE_REASONS), who))
        state.activated_at = activated
        end = now
        if plan.status == Status.ARCHIVED:
            archived = ctx.moment_between(max(activated + 90 * DAY, now - 400 * DAY), now - 2 * DAY)
            end = archived - dt.timedelta(days=rng.randint(30, 200))
            end = max(end, activated + DAY)
        elif plan.status == Status.DEACTIVATED:
            end = ctx.moment_between(activated + 60 * DAY, now - 2 * DAY)
        elif plan.status == Status.BLOCKED:
            end = ctx.moment_between(max(activated + DAY, now - 120 * DAY), now - 2 * MINUTE)
        if plan.heavy:
            # The heavy history owns the years between; only a recent final block is left here.
            if plan.status == Status.BLOCKED:
                end = now - dt.timedelta(days=rng.randint(1, 20))
                self._block(state, at, end)
            return end
        cycled = rng.random() < 0.15 and end - activated > 120 * DAY
        if cycled:
            blocked = ctx.moment_between(activated + 30 * DAY, end - 60 * DAY)
            self._block(state, at, blocked)
            who = Actor.staff(self.author("admin" if rng.random() < 0.2 else "agent"))
            back = blocked + dt.timedelta(days=rng.randint(2, 25))
            at(back, self._status_changer(state, Status.ACTIVE, rng.choice(data.UNBLOCK_REASONS), who))
        if plan.status == Status.BLOCKED:
            self._block(state, at, end)
        elif plan.status in (Status.DEACTIVATED, Status.ARCHIVED):
            who = Actor.staff(rng.choice(self.agents))
            at(end, self._status_changer(state, Status.DEACTIVATED, rng.choice(data.DEACTIVATE_REASONS), who))
            if plan.status == Status.ARCHIVED:
                admin = Actor.staff(self.staff["admin"])
                at(archived, self._archiver(state, rng.choice(data.ARCHIVE_REASONS), admin))
        elif not cycled and rng.random() < 0.04 and end - activated > 200 * DAY:
            gone = ctx.moment_between(activated + 60 * DAY, now - 100 * DAY)
            who = Actor.staff(rng.choice(self.agents))
            at(
                gone,
                self._status_changer(state, Status.DEACTIVATED, rng.choice(data.DEACTIVATE_REASONS), who),
            )
            back = gone + dt.timedelta(days=rng.randint(20, 90))
            at(back, self._status_changer(state, Status.ACTIVE, rng.choice(data.REACTIVATE_REASONS), who))
        return end

    def _block(self, state: CustomerState, at: At, moment: dt.datetime) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            who, reason = self.ctx.system(), rng.choice(data.BLOCK_REASONS_SYSTEM)
        else:
            who, reason = Actor.staff(rng.choice(self.agents)), rng.choice(data.BLOCK_REASONS_STAFF)
        at(moment, self._status_changer(state, Status.BLOCKED, reason, who))

    def _plan_notes(self, state: CustomerState, at: At, start: dt.datetime, end: dt.datetime) -> None:
        rng = self.rng
        count = rng.choices([0, 1, 2, 3, 4, 5, 7, 10], weights=[15, 22, 20, 15, 10, 8, 6, 4])[0]
        for _ in range(count):
            moment = self.ctx.moment_between(start, end)
            author = self.author()

            def add(author: User = author, moment: dt.datetime = moment) -> None:
                customer = state.created()
                body = self.note_body(author, moment, customer)
                note_add(customer=customer, body=body, actor=Actor.staff(author))

            at(moment, add)

    def _plan_edits(
        self, state: CustomerState, at: At, identity: dict[str, Any], start: dt.datetime, end: dt.datetime
    ) -> None:
        """Later changes: staff edits, self-service changes by the customer, alerts, tag changes."""
        rng, ctx = self.rng, self.ctx
        if end <= start:
            return
        town = identity["town"]
        if rng.random() < 0.12:
            phone = self._phone(town, mobile=rng.random() < 0.5)
            at(ctx.moment_between(start, end), self._updater(state, {"phone": phone}))
        if rng.random() < 0.06 and self.account_managers:
            manager = rng.choice(self.account_managers)
            at(ctx.moment_between(start, end), self._updater(state, {"account_manager": manager}))
        if rng.random() < 0.1:
            address = self._street_address(rng.choice(self.spec.towns))
            change = {f"billing_{k}": v for k, v in address.items()}
            at(ctx.moment_between(start, end), self._self_service(state, change))
        if rng.random() < 0.06:
            at(ctx.moment_between(start, end), self._contact_phone_change(state, town))
        if rng.random() < 0.05:
            level, message = rng.choice(data.MANUAL_ALERTS)
            raised = ctx.moment_between(start, end)
            at(raised, self._alert_adder(state, level, message))
            if rng.random() < 0.3:
                at(ctx.moment_between(raised + DAY, max(end, raised + 2 * DAY)), self._alert_dismisser(state))
        if rng.random() < 0.08:
            extra = rng.choice(list(self.tags.values()))
            at(ctx.moment_between(start, end), self._tag_adder(state, extra))
        if identity["fields"]["type"] == CustomerType.BUSINESS and rng.random() < 0.12:
            at(ctx.moment_between(start, end), self._contact_leaver(state))

    # Each returns the step that runs at its moment; they read the live state then, not at planning.

    def _contact_adder(
        self, state: CustomerState, row: dict[str, Any], address: dict[str, str], actor: Actor
    ) -> Step:
        def step() -> None:
            contact = customer_services.contact_add(
                customer=state.created(), data=dict(row), address=dict(address), actor=actor
            )
            state.contacts.append(contact)
            state.contact_added_at[contact.pk] = clock.now()

        return step

    def _field_setter(
        self, state: CustomerState, definition: CustomFieldDefinition, value: str, actor: Actor
    ) -> Step:
        def step() -> None:
            customer_services.custom_field_set(
                customer=state.created(), definition=definition, value=value, actor=actor
            )

        return step

    def _status_changer(self, state: CustomerState, status: str, reason: str, actor: Actor) -> Step:
        def step() -> None:
            state.customer = customer_services.customer_status_change(
                customer=state.created(), status=status, reason=reason, actor=actor
            )

        return step

    def _archiver(self, state: CustomerState, reason: str, actor: Actor) -> Step:
        def step() -> None:
            state.customer = customer_services.customer_archive(
                customer=state.created(), reason=reason, actor=actor
            )

        return step

    def _updater(self, state: CustomerState, changes: dict[str, Any]) -> Step:
        actor = Actor.staff(self.author("agent" if self.rng.random() < 0.7 else "billing"))

        def step() -> None:
            state.customer = customer_services.customer_update(
                customer=state.created(), data=changes, actor=actor
            )

        return step

    def _self_service(self, state: CustomerState, changes: dict[str, Any]) -> Step:
        def step() -> None:
            primary = next((c for c in state.contacts if c.is_primary), state.contacts[0])
            actor = Actor.customer(
                self.provider, contact_id=primary.pk, name=primary.name, email=primary.email
            )
            # What the portal does: the customers service, with the contact as the actor.
            state.customer = customer_services.customer_update(
                customer=state.created(), data=changes, actor=actor
            )

        return step

    def _contact_phone_change(self, state: CustomerState, town: data.Town) -> Step:
        phone = self._phone(town, mobile=True)
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            live = [c for c in state.contacts if c.pk is not None]
            contact = live[-1]
            customer_services.contact_update(contact=contact, data={"phone": phone}, actor=actor)
            contact.phone = phone

        return step

    def _contact_leaver(self, state: CustomerState) -> Step:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            others = [c for c in state.contacts if not c.is_primary and c.pk is not None]
            if others:
                customer_services.contact_remove(contact=others[-1], actor=actor)
                state.contacts.remove(others[-1])

        return step

    def _alert_adder(self, state: CustomerState, level: str, message: str) -> Step:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            state.alert = customer_services.manual_alert_add(
                customer=state.created(), level=level, message=message, actor=actor
            )

        return step

    def _alert_dismisser(self, state: CustomerState) -> Step:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            assert state.alert is not None, "dismissed after it was raised"
            customer_services.manual_alert_dismiss(alert=state.alert, actor=actor)

        return step

    def _tag_adder(self, state: CustomerState, tag: Tag) -> Step:
        actor = Actor.staff(self.author("agent"))

        def step() -> None:
            current = list(state.created().tags.all())
            if tag not in current:
                customer_services.customer_tags_set(
                    customer=state.created(), tags=[*current, tag], actor=actor
                )

        return step
