"""Sign a browser page in without going through the form: a session made by Django's test client,
its cookie handed to the browser."""

from urllib.parse import urlparse

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    host = urlparse(live_server.url).hostname
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "domain": host, "path": "/"}]
    )  # fmt: skip
