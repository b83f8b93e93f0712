"""Settings, Overview: what the provider's invoices print (address, tax number, how to pay, logo)."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accountdesk.audit.models import SecurityEvent
from accountdesk.tenancy.models import LOGO_MAX_BYTES, ProviderLogo

pytestmark = pytest.mark.django_db

DETAILS = {
    "agent_credit_limit": "50.00",
    "address": "1 Exchange Street\nBristol BS1 4DJ",
    "tax_number": "GB 123 4567 89",
    "payment_instructions": "Sort code 12-34-56, account 12345678",
}


def picture(kind: str = "PNG", size: tuple[int, int] = (120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


def noise() -> bytes:
    """A real PNG larger than the limit (random pixels do not compress)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (500, 500), os.urandom(750_000)).save(buffer, "PNG")
    assert buffer.tell() > LOGO_MAX_BYTES
    return buffer.getvalue()


def post(client, admin, data):
    client.force_login(admin)
    return client.post(reverse("settings:overview"), data)


def test_it_saves_the_invoice_details_and_the_logo(client, admin, provider):
    logo = SimpleUploadedFile("logo.png", picture(), content_type="image/png")
    assert post(client, admin, {**DETAILS, "logo": logo}).status_code == 302
    provider.refresh_from_db()
    assert provider.address_lines == ["1 Exchange Street", "Bristol BS1 4DJ"]
    assert provider.tax_number == "GB 123 4567 89" and "12-34-56" in provider.payment_instructions
    stored = ProviderLogo.objects.get(provider=provider)
    assert stored.content_type == "image/png" and bytes(stored.image) == picture()
    event = SecurityEvent.objects.filter(kind="settings.changed").latest("id")
    assert "Address changed" in event.summary and "Logo replaced" in event.summary
    page = client.get(reverse("settings:overview")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'src="data:image/png;base64,' in page


def test_it_removes_the_logo(client, admin, provider):
    ProviderLogo.objects.create(provider=provider, image=picture(), content_type="image/png")
    assert post(client, admin, {**DETAILS, "logo_remove": "on"}).status_code == 302
    assert not ProviderLogo.objects.filter(provider=provider).exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png"),
        SimpleUploadedFile("logo.gif", picture("GIF"), content_type="image/gif"),
        SimpleUploadedFile("big.png", noise(), content_type="image/png"),
    ],
    ids=["not-a-picture", "gif", "too-large"],
)
def test_it_refuses_what_is_not_a_small_png_or_jpeg(client, admin, provider, upload):
    response = post(client, admin, {**DETAILS, "logo": upload})
    assert response.status_code == 400 and "logo" in response.context["form"].errors
    provider.refresh_from_db()
    assert provider.tax_number == "" and not ProviderLogo.objects.exists()
