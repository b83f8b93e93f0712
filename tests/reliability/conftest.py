"""The reliability stack, shared by the tests of this folder (run with `make reliability`)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

import pytest

from tests.reliability.stack import App, PostgresServer, accountdesk, app_env, scratch

SEED = """
from accountdesk.billing.services import invoice_create_draft
from accountdesk.core.actors import Actor
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider, User

provider = Provider.objects.get(slug="acme")
billing = User.objects.get(email="billing@acme.test")
actor = Actor.staff(billing)
customers = list(Customer.objects.filter(provider=provider).order_by("id")[:{customers}])
for i, customer in enumerate(customers):
    for n in range({first_drafts} if i == 0 else {drafts}):
        invoice_create_draft(
            customer=customer, actor=actor,
            lines=[{{"description": f"Load test {{n}}", "quantity": "1", "unit_price": "100.00"}}],
        )
print(",".join(str(c.pk) for c in customers))
"""


@dataclass
class Stack:
    server: PostgresServer
    app: App
    env: dict[str, str]
    token: str
    customers: list[int]

    def sql(self, query: str) -> str:
        return self.server.psql("accountdesk", query)


@pytest.fixture(scope="session")
def stack():
    if not shutil.which("runuser") or not shutil.which("psql"):
        pytest.skip("needs PostgreSQL's server binaries and psql")
    root = scratch()
    server = PostgresServer(root / "pg")
    server.init()
    server.start()
    app = None
    try:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-c",
             "create database accountdesk", "postgres"],
            check=True, capture_output=True,
        )  # fmt: skip
        env = app_env(root, server.url("accountdesk"))
        accountdesk(env, "migrate", "-v0")
        accountdesk(env, "createcachetable")
        accountdesk(env, "demo", "--customers", "60", "--heavy", "0")
        token = accountdesk(env, "token", "create", "--email", "billing@acme.test").strip().splitlines()[-1]
        ids = (
            accountdesk(env, "shell", "-c", SEED.format(customers=50, first_drafts=30, drafts=4))
            .strip()
            .splitlines()[-1]
        )
        app = App(env, root, workers=4)
        app.start()
        yield Stack(server, app, env, token, [int(i) for i in ids.split(",")])
    finally:
        if app is not None:
            app.stop()
        server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
