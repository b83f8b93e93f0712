import pytest

from accountdesk.network.addresses import InvalidAddress, mac_search_forms, normalise_ip, normalise_mac


@pytest.mark.parametrize(
    "raw",
    [
        "aa:bb:cc:dd:ee:0f",
        "AA-BB-CC-DD-EE-0F",
        "aabb.ccdd.ee0f",
        "aabb-ccdd-ee0f",
        "AABBCCDDEE0F",
        "  aabbccddee0f ",
    ],
)
def test_it_normalises_every_common_mac_notation(raw):
    assert normalise_mac(raw) == "AA:BB:CC:DD:EE:0F"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "aa:bb:cc:dd:ee",
        "aa:bb:cc:dd:ee:gg",
        "aa:bb-cc:dd:ee:ff",
        "aabb.ccdd-eeff",
        "aabbccddeeff00",
        "a:b:c:d:e:f",
    ],
)
def test_it_rejects_malformed_macs(raw):
    with pytest.raises(InvalidAddress):
        normalise_mac(raw)


def test_it_offers_the_mac_in_the_forms_people_search_by():
    assert mac_search_forms("AA:BB:CC:DD:EE:FF") == [
        "aa:bb:cc:dd:ee:ff",
        "aa-bb-cc-dd-ee-ff",
        "aabbccddeeff",
        "aabb.ccdd.eeff",
    ]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("192.0.2.10", "192.0.2.10"), ("2001:DB8:0:0::10", "2001:db8::10"), ("::ffff:192.0.2.1", "192.0.2.1")],
)
def test_it_accepts_ipv4_and_ipv6(raw, clean):
    assert normalise_ip(raw) == clean


@pytest.mark.parametrize(
    "raw", ["", "256.1.1.1", "192.168.001.1", "10.0.0.0/8", "fe80::1%eth0", "2001:db8::g", "host"]
)
def test_it_rejects_malformed_ips(raw):
    with pytest.raises(InvalidAddress):
        normalise_ip(raw)
