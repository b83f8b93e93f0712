"""The optional language-model path, against a fake OpenAI-compatible endpoint in this process:
the model only picks the topic and its arguments, the figures come from the selectors, and a slow,
broken or unknown reply falls back to the offline path."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accountdesk.search import llm
from accountdesk.search.engine import TOPICS
from accountdesk.search.models import UnansweredQuestion
from tests.search.builders import invoice, pay


class FakeModel:
    """A chat completions endpoint that answers every request with `reply` after `delay`
    seconds, and keeps the requests it was sent."""

    def __init__(self) -> None:
        self.reply: dict | str = {}
        self.delay = 0.0
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                fake.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"),
                     "body": json.loads(self.rfile.read(length))}
                )  # fmt: skip
                time.sleep(fake.delay)
                payload = fake.reply if isinstance(fake.reply, str) else json.dumps(fake.reply)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(payload.encode())
                except BrokenPipeError:  # the client gave up waiting: the timeout test
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def picks(self, name: str, **arguments) -> None:
        call = {"type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
        self.reply = {"choices": [{"message": {"role": "assistant", "tool_calls": [call]}}]}


@pytest.fixture
def model(settings):
    fake = FakeModel()
    settings.ASK_LLM_URL = fake.url
    settings.ASK_LLM_MODEL = "tiny"
    settings.ASK_LLM_KEY = "sk-test"
    settings.ASK_LLM_TIMEOUT = 0.5
    yield fake
    fake.server.shutdown()


@pytest.fixture
def books(customer, system):
    old = invoice(customer, system, "120.00", dt.date(2024, 12, 1))
    pay(customer, system, "20.00", on=dt.date(2025, 1, 5), invoice=old)
    recent = invoice(customer, system, "80.50", dt.date(2025, 1, 20))
    return {"old": old, "recent": recent}


def test_it_is_off_by_default(ask_as, books, settings):
    assert settings.ASK_LLM_URL == ""
    assert not llm.enabled()
    assert ask_as("agent", "what's the balance").intent == "balance"


def test_the_model_picks_the_topic_and_the_selectors_give_the_figure(ask_as, books, model):
    model.picks("balance")
    answer = ask_as("agent", "how deep in the red is this lot")
    assert answer.intent == "balance"
    assert (
        answer.text == "Grace Hopper owes $180.50 on 2 open invoices, the oldest due 31 Dec 2024 (overdue)."
    )
    assert [c.label for c in answer.citations] == [books["old"].number, books["recent"].number]
    sent = model.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer sk-test"
    assert sent["body"]["model"] == "tiny" and sent["body"]["tool_choice"] == "required"
    names = [t["function"]["name"] for t in sent["body"]["tools"]]
    assert names == [*TOPICS, llm.CANNOT_ANSWER]
    # Only the question goes out: no figure, no name of the customer's records.
    assert "180.50" not in json.dumps(sent["body"]) and books["old"].number not in json.dumps(sent["body"])


def test_the_models_arguments_are_used(ask_as, books, model):
    model.picks("invoices", above=90)
    answer = ask_as("billing", "which of their bills are big ones still to settle")
    assert answer.intent == "invoices"
    assert [c.label for c in answer.citations] == [books["old"].number]
    assert "with more than $90.00 still owed" in answer.text


def test_the_model_saying_none_fits_is_not_answered(ask_as, books, model):
    model.picks(llm.CANNOT_ANSWER)
    answer = ask_as("agent", "what's the balance")
    assert answer.intent == "unknown" and answer.citations == []
    assert len(answer.suggestions) == 3
    assert UnansweredQuestion.objects.get().question == "what's the balance"


def test_permissions_hold_whatever_the_model_picks(ask_as, books, model):
    model.picks("balance")
    answer = ask_as("technician", "anything")
    assert answer.text == "You may not see billing figures, so I cannot answer that."
    assert answer.citations == []


@pytest.mark.parametrize(
    "reply",
    [
        "not json",
        {"choices": []},
        {"choices": [{"message": {"content": "The balance is $1,000,000."}}]},
        {
            "choices": [
                {"message": {"tool_calls": [{"function": {"name": "delete_customer", "arguments": "{}"}}]}}
            ]
        },
    ],
)
def test_a_reply_that_is_not_one_of_our_tools_falls_back_offline(ask_as, books, model, reply):
    model.reply = reply
    answer = ask_as("agent", "what's the balance")
    assert answer.intent == "balance"
    assert answer.text.startswith("Grace Hopper owes $180.50")


def test_a_slow_model_times_out_and_the_offline_path_answers(ask_as, books, model):
    model.picks("notes")
    model.delay = 2.0
    answer = ask_as("agent", "what's the balance")
    assert answer.intent == "balance"
    assert answer.text.startswith("Grace Hopper owes $180.50")


def test_an_unreachable_model_falls_back_offline(ask_as, books, settings):
    settings.ASK_LLM_URL = "http://127.0.0.1:9/v1"
    settings.ASK_LLM_TIMEOUT = 0.5
    assert ask_as("agent", "what's the balance").intent == "balance"


def test_bad_arguments_are_left_out(model):
    model.picks("invoices", above="lots", invoice_number="'; drop table", period=7)
    picked = llm.pick("q", {"invoices": "unpaid invoices"})
    assert picked == llm.Pick(topic="invoices")
