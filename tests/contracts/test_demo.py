import pytest

from accountdesk.activity.models import Activity
from accountdesk.messaging.models import Message
from tests.demo.conftest import load_demo


@pytest.mark.django_db
def test_it_leaves_no_demo_contract_email_waiting_for_a_worker():
    load_demo("--customers", "6", "--heavy", "1", apps=["contracts"])
    ids = [event.details["message"] for event in Activity.objects.filter(kind="contract.sent")]
    assert ids
    assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
