"""Questions the ask box could not answer: kept per provider, text only and without the customer's
name, counted, and shown to admins under Settings > Unanswered questions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountdesk.search.models import UnansweredQuestion
from accountdesk.search.services import kept_text, unanswered_record
from tests.factories import CustomerFactory

URL = "/settings/unanswered-questions/"


def test_a_question_not_understood_is_kept_once_and_counted(ask_as, provider):
    ask_as("agent", "Does Grace Hopper have a dog?")
    ask_as("billing", "does grace hopper have a dog")
    ask_as("agent", "what's the balance")  # answered: not kept
    rows = list(UnansweredQuestion.objects.values_list("provider_id", "question", "count"))
    assert rows == [(provider.pk, "does the customer have a dog", 2)]


def test_a_question_refused_for_permission_is_not_a_miss(ask_as):
    ask_as("technician", "what's the balance")
    assert not UnansweredQuestion.objects.exists()


def test_each_provider_keeps_its_own(ask_as, staff, foreign_customer):
    from accountdesk.search.engine import ask

    ask_as("agent", "tell me a joke")
    ask(viewer=staff["admin"], customer=foreign_customer, question="tell me a joke")
    assert sorted(UnansweredQuestion.objects.values_list("provider__slug", "count")) == [
        ("acme", 1),
        ("other", 1),
    ]


def test_the_kept_text_is_normalised():
    assert kept_text("  What’s the   WEATHER?! ", name_words=()) == "what's the weather"
    assert kept_text("is Ada's dog friendly", name_words=("ada",)) == "is the customer dog friendly"


def test_the_settings_page_lists_them_most_asked_first(client, staff, provider):
    unanswered_record(provider=provider, question="what's the weather")
    for _ in range(3):
        unanswered_record(provider=provider, question="tell me a joke")
    client.force_login(staff["admin"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("tell me a joke") < body.index("what&#x27;s the weather")
    assert f'<a href="{reverse("settings:unanswered")}" aria-current="page">' in body
    assert '<td class="num">3</td>' in body


def test_the_settings_page_shows_no_other_providers_questions(client, staff, other_provider):
    unanswered_record(provider=other_provider, question="their secret question")
    client.force_login(staff["admin"])
    assert "their secret question" not in client.get(URL).content.decode()


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_the_settings_page_is_for_admins_only(client, staff, role):
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403


def test_the_settings_page_costs_the_same_however_many_questions(client, staff, provider):
    client.force_login(staff["admin"])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    unanswered_record(provider=provider, question="question 0")
    few = cost()
    for i in range(1, 80):
        unanswered_record(provider=provider, question=f"question {i}")
    assert cost() == few == 3
    assert 'rel="next"' in client.get(URL).content.decode()  # 50 a page


def test_the_api_offers_suggestions_and_keeps_the_miss(api_as, customer):
    response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/ask", {"question": "sing me a song"})
    body = response.json()
    assert response.status_code == 200 and body["citations"] == []
    assert body["answer"].startswith("I can\u2019t answer that.")
    assert len(body["suggestions"]) == 3
    assert UnansweredQuestion.objects.get().question == "sing me a song"


def test_a_customer_named_like_a_word_keeps_the_rest(ask_as, provider, staff):
    from accountdesk.search.engine import ask

    customer = CustomerFactory(provider=provider, name="Sky Blue Ltd")
    ask(viewer=staff["agent"], customer=customer, question="what colour is the sky")
    assert UnansweredQuestion.objects.get().question == "what colour is the the customer"
