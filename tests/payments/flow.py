"""Paying through the portal and the test gateway with Django's test client, step by step."""

from urllib.parse import urlparse

SUCCEEDS = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
CONFIRM = "4000 0000 0000 3220"


def path_of(response) -> str:
    location = urlparse(response["Location"])
    return location.path + (f"?{location.query}" if location.query else "")


def start(portal, **data):
    """Post the portal's pay form; returns the response (a redirect to the gateway's page)."""
    return portal.post("/portal/pay/", {"invoice": "", "save_card": "", **data})


def card_post(client, gateway_path: str, number: str, expiry: str = "12/30", cvc: str = "123"):
    return client.post(gateway_path, {"number": number, "expiry": expiry, "cvc": cvc, "name": "Bob Contact"})


def pay(portal, number: str = SUCCEEDS, **data) -> str:
    """Pay from the pay form to the gateway and back: returns the return address the gateway sent
    the browser to (already visited once)."""
    response = start(portal, **data)
    assert response.status_code == 302, response.content.decode()[:2000]
    gateway = card_post(portal, path_of(response), number)
    assert gateway.status_code == 302, gateway.content.decode()[:2000]
    back = path_of(gateway)
    assert back.startswith("/portal/pay/")
    landed = portal.get(back)
    assert landed.status_code == 302
    return back
