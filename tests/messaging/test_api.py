from accountdesk.messaging.models import Message


def test_it_sends_and_lists_through_the_api(api_as, customer):
    client = api_as("agent")
    response = client.post(f"/api/v1/customers/{customer.pk}/messages/sms", {"body": "Hello"})
    assert response.status_code == 201 and response.json()["channel"] == "sms"
    items = client.get(f"/api/v1/customers/{customer.pk}/messages").json()["items"]
    assert [i["body"] for i in items] == ["Hello"]


def test_it_rejects_bad_input_in_the_error_format(api_as, customer):
    response = api_as("agent").post(
        f"/api/v1/customers/{customer.pk}/messages/email", {"subject": "", "body": "x"}
    )
    assert response.status_code == 422 and "subject" in response.json()["error"]["fields"]
    assert not Message.objects.exists()


def test_it_forbids_readonly(api_as, customer):
    response = api_as("readonly").post(f"/api/v1/customers/{customer.pk}/messages/sms", {"body": "Hello"})
    assert response.status_code == 403 and not Message.objects.exists()


def test_it_answers_not_found_for_another_providers_customer(api_as, foreign_customer):
    response = api_as("admin").post(f"/api/v1/customers/{foreign_customer.pk}/messages/sms", {"body": "Hi"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not Message.objects.exists()
