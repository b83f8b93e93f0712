from accountdesk.network.models import Equipment
from tests.network.factories import EquipmentFactory


def tab(customer) -> str:
    return f"/customers/{customer.pk}/equipment/"


def test_it_shows_the_ip_as_a_link_with_ipv6_in_brackets(browser_client, agent, customer):
    EquipmentFactory(customer=customer, ip="198.51.100.9")
    EquipmentFactory(customer=customer, ip="2001:db8::9")
    page = browser_client(agent).get(tab(customer)).content.decode()
    assert 'href="http://198.51.100.9/"' in page and 'href="http://[2001:db8::9]/"' in page


def test_it_says_so_when_there_is_no_equipment(browser_client, agent, customer):
    assert "No equipment on this account." in browser_client(agent).get(tab(customer)).content.decode()


def test_it_adds_equipment_from_the_dialog(browser_client, staff, customer):
    response = browser_client(staff["technician"]).post(
        tab(customer), {"action": "add", "name": "ONT", "mac": "aabbccddeeff", "ip": "", "status": "online"}
    )
    assert response.status_code == 302
    assert Equipment.objects.get().mac == "AA:BB:CC:DD:EE:FF"


def test_it_names_the_bad_field_on_the_form(browser_client, agent, customer):
    response = browser_client(agent).post(
        tab(customer), {"action": "add", "name": "ONT", "mac": "aa:bb", "ip": "1.2.3", "status": "online"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Enter a MAC address" in page and "Enter an IPv4 or IPv6" in page
    assert not Equipment.objects.exists()


def test_it_removes_equipment(browser_client, agent, customer, foreign_customer):
    item = EquipmentFactory(customer=customer)
    foreign = EquipmentFactory(customer=foreign_customer)
    client = browser_client(agent)
    assert client.post(tab(customer), {"action": "remove", "equipment": foreign.pk}).status_code == 404
    assert client.post(tab(customer), {"action": "remove", "equipment": item.pk}).status_code == 302
    assert list(Equipment.objects.all()) == [foreign]


def test_it_refuses_readonly_users(browser_client, staff, customer):
    client = browser_client(staff["readonly"])
    assert "Add equipment" not in client.get(tab(customer)).content.decode()
    assert client.post(tab(customer), {"action": "add", "name": "x"}).status_code == 403


def test_it_hides_the_tab_without_the_module(browser_client, bare_agent, bare_customer, agent):
    from accountdesk.customers.tabs import visible_tabs

    assert browser_client(bare_agent).get(tab(bare_customer)).status_code == 404
    assert "equipment" in {t.key for t in visible_tabs(agent)}
    assert "equipment" not in {t.key for t in visible_tabs(bare_agent)}


def test_it_shows_a_missing_name_in_the_dialog_and_adds_nothing(browser_client, agent, customer):
    response = browser_client(agent).post(tab(customer), {"action": "add", "name": " ", "status": "online"})
    page = response.content.decode()
    assert (
        response.status_code == 400 and "Give the equipment a name." in page and "data-open-on-load" in page
    )
    assert not Equipment.objects.exists()


def test_it_offers_remove_as_a_button_per_row_and_refuses_a_bad_id(browser_client, agent, customer):
    item = EquipmentFactory(customer=customer, name="ONT")
    client = browser_client(agent)
    page = client.get(tab(customer)).content.decode()
    assert f'name="equipment" value="{item.pk}"' in page and 'aria-label="Remove ONT"' in page
    response = client.post(tab(customer), {"action": "remove", "equipment": "first"})
    assert response.status_code == 400 and "Enter a whole number." in response.content.decode()
    assert Equipment.objects.filter(pk=item.pk).exists()
