def test_it_answers_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_requires_a_token(client, customer):
    response = client.get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_it_serves_server_timing(api_as, customer):
    response = api_as("agent").get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200
    assert 'queries"' in response["Server-Timing"] and "total;dur=" in response["Server-Timing"]


def test_it_hides_another_providers_customer(api_as, foreign_customer):
    response = api_as("agent").get(f"/api/v1/customers/{foreign_customer.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_answers_malformed_json_with_400(api_as, customer):
    response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/notes", raw="{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
