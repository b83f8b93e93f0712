import json

import pytest
from django.core.management import CommandError, call_command

from accountdesk.usage.models import UsageRecord, UsageRollup


def test_it_imports_a_csv_file(tmp_path, provider, subscription, capsys):
    path = tmp_path / "usage.csv"
    path.write_text(
        "subscription_id,at,quantity\n"
        f"{subscription.pk},2025-03-02T10:00:00Z,100\n"
        f"{subscription.pk},2025-03-02T10:01:00Z,50\n"
    )
    call_command("usage", "import", str(path), "--provider", provider.slug)
    assert "Imported 2 usage records" in capsys.readouterr().out
    assert UsageRollup.objects.get(resolution="day").total == 150


def test_it_imports_a_json_file(tmp_path, provider, subscription):
    path = tmp_path / "usage.json"
    path.write_text(
        json.dumps({"rows": [{"subscription_id": subscription.pk, "at": "2025-03-02T10:00Z", "quantity": 5}]})
    )
    call_command("usage", "import", str(path), "--provider", provider.slug)
    assert UsageRecord.objects.count() == 1


def test_it_rejects_a_file_with_a_bad_row_naming_it(tmp_path, provider, subscription):
    path = tmp_path / "usage.csv"
    path.write_text(
        "subscription_id,at,quantity\n"
        f"{subscription.pk},2025-03-02T10:00:00Z,100\n"
        f"{subscription.pk},2025-03-02T10:01:00Z,-3\n"
    )
    with pytest.raises(CommandError, match="Row 2: quantity negative"):
        call_command("usage", "import", str(path), "--provider", provider.slug)
    assert not UsageRecord.objects.exists()


def test_it_needs_the_provider_when_there_are_several(tmp_path, provider, other_provider, subscription):
    path = tmp_path / "usage.csv"
    path.write_text(f"subscription_id,at,quantity\n{subscription.pk},2025-03-02T10:00:00Z,1\n")
    with pytest.raises(CommandError, match="--provider"):
        call_command("usage", "import", str(path))


def test_it_does_not_import_into_another_providers_subscription(tmp_path, other_provider, subscription):
    path = tmp_path / "usage.csv"
    path.write_text(f"subscription_id,at,quantity\n{subscription.pk},2025-03-02T10:00:00Z,1\n")
    with pytest.raises(CommandError, match="unknown subscription"):
        call_command("usage", "import", str(path), "--provider", other_provider.slug)
