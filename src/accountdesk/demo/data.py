"""The two demo providers and the vocabulary their accounts are written in.

Places are real towns of each provider's service area (with their coordinates) so service
addresses land on a map where they should; streets, trades and notes are written for the trade.
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "accountdesk-demo"
ROLES = ("admin", "billing", "agent", "technician", "readonly")


@dataclass(frozen=True)
class Town:
    name: str
    region: str
    postcodes: tuple[str, ...]
    lat: float
    lon: float
    phone_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class CustomField:
    name: str
    kind: str
    choices: tuple[str, ...] = ()
    show_on_overview: bool = False
    # How many customers in a hundred have a value.
    filled: int = 60


@dataclass(frozen=True)
class AlertRuleSpec:
    name: str
    rule: str
    value: str
    level: str
    message: str


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    slug: str
    currency: str
    locale: str
    country: str
    modules: tuple[str, ...]
    agent_credit_limit: str
    towns: tuple[Town, ...]
    streets: tuple[str, ...]
    street_types: tuple[str, ...]
    residential_groups: tuple[tuple[str, int], ...]
    business_groups: tuple[tuple[str, int], ...]
    tags: tuple[tuple[str, int], ...]  # name, how many customers in a hundred
    custom_fields: tuple[CustomField, ...]
    alerts: tuple[AlertRuleSpec, ...]
    trades: tuple[str, ...]
    company_suffixes: tuple[str, ...]
    business_share: int  # business customers in a hundred
    note_topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Which role writes the notes, by weight (a telecom's agents, a field company's technicians).
    note_authors: tuple[tuple[str, int], ...] = ()
    account_managers: int = 2


BLOCKED_BANNER = "Account blocked: check with billing before any change"

COMMON_NOTES = {
    "support": (
        "Verified identity (date of birth and the last four digits of the card on file) before "
        "discussing the account.",
        "Customer asked for a copy of the last statement; emailed it to {email}.",
        "Updated the preferred contact time to after 5pm on weekdays at the customer's request.",
        "Customer called to confirm the account number for a bank transfer; read it back twice.",
        "Complaint about hold time on {past}. Apologised; logged feedback for the team lead.",
        "Customer asked who their account manager is; gave {manager}'s direct line.",
    ),
    "billing": (
        "Explained the {month} invoice: the pro-rata charge after the change on {past}. Customer is "
        "happy with the explanation.",
        "Payment arrangement agreed: {amount} per fortnight until the balance is cleared.",
        "Direct debit dishonoured ({bank_reason}); customer will update the card in the portal.",
        "Left a voicemail about the overdue balance of {amount}.",
        "Refund of {amount} approved for the double charge on {past}; 3 to 5 business days.",
        "Customer switched to email invoices; paper invoices stop from next month.",
        "Late fee of {small_amount} waived as a one-off goodwill gesture.",
    ),
}

ACME_NOTES = {
    "support": (
        "Customer reports slow speeds in the evenings. Line test: sync {down}/{up} Mbps, no errors. "
        "Advised a router restart and a wired speed test; will follow up on {soon}.",
        "Wi-Fi dropouts upstairs. Recommended a mesh extender and sent the product link.",
        "Customer wants to move the service to a new address from {soon}. Sent the relocation form.",
        "Asked about upgrading to {plan}; quoted {price}/month. Customer will think about it.",
        "Porting request for the home phone number received; expected within 3 business days.",
        "Customer travelling overseas until {soon}; asked that we not suspend for late payment meanwhile.",
        "Static IP requested for a home server; explained it needs the business plan.",
        "Email setup help on a new laptop; walked through the settings, sending and receiving now.",
        "Outage in {town} on {past} hit this service for about {hours} hours; credit discussed.",
    ),
    "tech": (
        "Router replaced under warranty ({router}). Old unit to come back in the prepaid satchel.",
        "Technician visit: re-terminated the wall socket, sync up from {up} to {down} Mbps.",
        "Fixed wireless dish realigned after the storm; signal now {signal} dBm.",
        "Fibre ONT showing LOS light. Fault raised with the network team, ref {ref}.",
        "Install completed: {router} configured, Wi-Fi name and password left on the fridge card.",
        "Remote check: {router} firmware updated, channel changed to reduce interference.",
    ),
}

BLUEGUM_NOTES = {
    "support": (
        "Annual air-conditioner service booked for {soon}; customer prefers a morning visit.",
        "Gate code changed to {code}; updated the site access notes.",
        "Customer asked for the invoice to be split between the owner and the tenant.",
        "Rain: moved the visit to {soon}; customer confirmed by SMS.",
        "Customer unhappy with the clean-up after the last job; supervisor to call back today.",
        "Quote for gutter guard ({amount}) accepted by phone; deposit to be invoiced.",
        "Tenant moving out on {soon}; the owner will be the contact for access from then on.",
    ),
    "tech": (
        "Found a cracked heat exchanger on the gas heater; unit isolated, quote sent for replacement.",
        "Pool pump bearings worn and noisy. Parts ordered, about {days} days away.",
        "Solar inverter showed fault {fault}; reset on site, production back to normal.",
        "Smoke alarm compliance check done; every alarm tested and dated.",
        "Hot water relief valve replaced; the tank is {years} years old, so budget for a new one.",
        "Split system filters cleaned and gas pressure checked; all within spec.",
        "Dog on site was friendly but please call ahead so the owner can secure it.",
    ),
}


ACME = ProviderSpec(
    name="Acme Telecom",
    slug="acme",
    currency="USD",
    locale="en_US",
    country="US",
    modules=("service_desk", "field_service", "usage", "network", "contracts", "instalments"),
    agent_credit_limit="75.00",
    towns=(
        Town(
            "Denver", "CO", ("80202", "80205", "80210", "80218", "80220"), 39.7392, -104.9903, ("303", "720")
        ),
        Town("Aurora", "CO", ("80010", "80012", "80014", "80017"), 39.7294, -104.8319, ("303", "720")),
        Town("Lakewood", "CO", ("80214", "80226", "80228"), 39.7047, -105.0814, ("303", "720")),
        Town("Arvada", "CO", ("80002", "80003", "80005"), 39.8028, -105.0875, ("303", "720")),
        Town("Westminster", "CO", ("80030", "80031", "80234"), 39.8367, -105.0372, ("303", "720")),
        Town("Littleton", "CO", ("80120", "80122", "80123"), 39.6133, -105.0166, ("303", "720")),
        Town("Golden", "CO", ("80401", "80403"), 39.7555, -105.2211, ("303", "720")),
        Town("Boulder", "CO", ("80301", "80302", "80304", "80305"), 40.0150, -105.2705, ("303", "720")),
        Town("Longmont", "CO", ("80501", "80503", "80504"), 40.1672, -105.1019, ("303", "720")),
        Town("Loveland", "CO", ("80537", "80538"), 40.3978, -105.0750, ("970",)),
        Town("Fort Collins", "CO", ("80521", "80524", "80525", "80526"), 40.5853, -105.0844, ("970",)),
        Town("Castle Rock", "CO", ("80104", "80108", "80109"), 39.3722, -104.8561, ("303", "720")),
    ),
    streets=(
        "Maple",
        "Oak",
        "Pine",
        "Cedar",
        "Elm",
        "Aspen",
        "Spruce",
        "Juniper",
        "Willow",
        "Cottonwood",
        "Columbine",
        "Larimer",
        "Lincoln",
        "Washington",
        "Grant",
        "Sherman",
        "Colfax",
        "Pearl",
        "Walnut",
        "Arapahoe",
        "Baseline",
        "Canyon",
        "Folsom",
        "Quince",
        "Yosemite",
        "Dahlia",
        "Mountain View",
        "Ridge",
        "Prairie",
        "Meadowlark",
        "Blue Spruce",
        "Bluebell",
        "Mesa",
    ),
    street_types=("St", "Ave", "Dr", "Ct", "Way", "Ln", "Blvd", "Pl", "Cir", "Rd"),
    residential_groups=(("Residential", 85), ("Staff & Family", 3), ("", 12)),
    business_groups=(("Small Business", 60), ("Enterprise", 20), ("Wholesale", 10), ("", 10)),
    tags=(
        ("Fibre", 45),
        ("Fixed Wireless", 20),
        ("Paperless", 40),
        ("VIP", 6),
        ("Senior discount", 8),
        ("Priority repair", 5),
        ("Do not call", 4),
        ("Reseller", 2),
    ),
    custom_fields=(
        CustomField("Contract end date", "date", show_on_overview=True, filled=40),
        CustomField(
            "Router model",
            "choice",
            ("Eero Pro 6E", "Netgear Nighthawk AX12", "TP-Link Deco X55", "Acme HomeHub 3"),
            show_on_overview=True,
            filled=55,
        ),
        CustomField("Static IPs", "number", filled=6),
        CustomField("Paperless billing", "boolean", show_on_overview=True, filled=25),
        CustomField("Credit check", "choice", ("Passed", "Referred", "Not required"), filled=25),
        CustomField("Gate or building code", "text", filled=6),
    ),
    alerts=(
        AlertRuleSpec("Blocked accounts", "status_is", "blocked", "danger", BLOCKED_BANNER),
        AlertRuleSpec(
            "VIP customers",
            "has_tag",
            "VIP",
            "info",
            "VIP customer: escalate any complaint to the account manager",
        ),
        AlertRuleSpec(
            "Wholesale accounts",
            "in_group",
            "Wholesale",
            "warning",
            "Wholesale account: changes go through the reseller's portal",
        ),
        AlertRuleSpec(
            "Referred credit checks",
            "custom_field_is",
            "Credit check=Referred",
            "warning",
            "Credit check referred: new services need prepayment",
        ),
        AlertRuleSpec(
            "Do not call",
            "has_tag",
            "Do not call",
            "info",
            "Do not call: contact this customer by email only",
        ),
    ),
    trades=(
        "Dental",
        "Plumbing",
        "Veterinary Clinic",
        "Coffee Roasters",
        "Auto Repair",
        "Law Group",
        "Family Medicine",
        "Bakery",
        "Brewing Co",
        "Yoga Studio",
        "Realty",
        "Print Shop",
        "Landscaping",
        "Accounting",
        "Pharmacy",
        "Hardware",
        "Pizza",
        "Physical Therapy",
        "Architects",
        "Florist",
    ),
    company_suffixes=("LLC", "Inc", "LLC", "", "Co"),
    business_share=30,
    note_topics={
        "support": ACME_NOTES["support"] + COMMON_NOTES["support"],
        "billing": COMMON_NOTES["billing"],
        "tech": ACME_NOTES["tech"],
    },
    note_authors=(("agent", 55), ("billing", 20), ("technician", 15), ("admin", 10)),
    account_managers=3,
)

BLUEGUM = ProviderSpec(
    name="Bluegum Field Services",
    slug="bluegum",
    currency="AUD",
    locale="en_AU",
    country="AU",
    modules=("field_service", "contracts", "instalments"),
    agent_credit_limit="100.00",
    towns=(
        Town("Ringwood", "VIC", ("3134",), -37.8136, 145.2290, ("03",)),
        Town("Box Hill", "VIC", ("3128",), -37.8189, 145.1250, ("03",)),
        Town("Croydon", "VIC", ("3136",), -37.7953, 145.2814, ("03",)),
        Town("Lilydale", "VIC", ("3140",), -37.7569, 145.3514, ("03",)),
        Town("Belgrave", "VIC", ("3160",), -37.9090, 145.3540, ("03",)),
        Town("Dandenong", "VIC", ("3175",), -37.9875, 145.2150, ("03",)),
        Town("Frankston", "VIC", ("3199",), -38.1440, 145.1230, ("03",)),
        Town("Berwick", "VIC", ("3806",), -38.0330, 145.3500, ("03",)),
        Town("Mornington", "VIC", ("3931",), -38.2180, 145.0380, ("03",)),
        Town("Healesville", "VIC", ("3777",), -37.6540, 145.5140, ("03",)),
        Town("Geelong", "VIC", ("3220",), -38.1499, 144.3617, ("03",)),
        Town("Ballarat", "VIC", ("3350",), -37.5622, 143.8503, ("03",)),
    ),
    streets=(
        "Wattle",
        "Banksia",
        "Acacia",
        "Bottlebrush",
        "Kookaburra",
        "Maroondah",
        "Whitehorse",
        "Station",
        "Main",
        "High",
        "Church",
        "Victoria",
        "Albert",
        "Elizabeth",
        "Bluegum",
        "Ironbark",
        "Stringybark",
        "Boronia",
        "Grevillea",
        "Melaleuca",
        "Mountain",
        "Heathmont",
        "Canterbury",
        "Yarra",
        "Lorne",
    ),
    street_types=("Street", "Road", "Avenue", "Court", "Crescent", "Close", "Drive", "Parade", "Grove"),
    residential_groups=(("Metro", 60), ("Regional", 25), ("Strata", 8), ("", 7)),
    business_groups=(("Commercial", 80), ("Strata", 10), ("", 10)),
    tags=(
        ("Solar", 30),
        ("Pool", 18),
        ("Air-con", 45),
        ("Dog on site", 12),
        ("Key safe", 10),
        ("Aged care", 7),
        ("VIP", 5),
        ("Landlord", 9),
    ),
    custom_fields=(
        CustomField("Site access notes", "text", show_on_overview=True, filled=35),
        CustomField(
            "Property type",
            "choice",
            ("House", "Unit", "Townhouse", "Farm", "Commercial"),
            show_on_overview=True,
            filled=55,
        ),
        CustomField("Pets on site", "boolean", show_on_overview=True, filled=30),
        CustomField("Service interval (months)", "number", filled=15),
        CustomField("Last safety inspection", "date", filled=12),
    ),
    alerts=(
        AlertRuleSpec("Blocked accounts", "status_is", "blocked", "danger", BLOCKED_BANNER),
        AlertRuleSpec(
            "Dogs", "has_tag", "Dog on site", "warning", "Dog on site: call the customer before arriving"
        ),
        AlertRuleSpec(
            "Aged care",
            "has_tag",
            "Aged care",
            "info",
            "Aged care client: book visits with the nominated family contact",
        ),
    ),
    trades=(
        "Physiotherapy",
        "Bakery",
        "Dental",
        "Motors",
        "Vet Clinic",
        "Cafe",
        "Childcare",
        "Medical Centre",
        "Hardware",
        "Winery",
        "Fitness",
        "Real Estate",
        "Pharmacy",
        "Accountants",
        "Butchery",
    ),
    company_suffixes=("Pty Ltd", "Pty Ltd", ""),
    business_share=20,
    note_topics={
        "support": BLUEGUM_NOTES["support"] + COMMON_NOTES["support"],
        "billing": COMMON_NOTES["billing"],
        "tech": BLUEGUM_NOTES["tech"],
    },
    note_authors=(("technician", 40), ("agent", 35), ("billing", 15), ("admin", 10)),
    account_managers=2,
)

PROVIDERS = (ACME, BLUEGUM)

# What role writes a note on which topic.
TOPIC_OF_ROLE = {"agent": "support", "admin": "support", "billing": "billing", "technician": "tech"}

CONTACT_TITLES = (
    "Owner",
    "Office Manager",
    "Accounts Payable",
    "IT Manager",
    "Director",
    "Practice Manager",
    "Operations Manager",
    "Bookkeeper",
)
HOUSEHOLD_TITLES = ("Account holder", "Partner", "Tenant", "Property manager", "Son", "Daughter")

ACTIVATE_REASONS = (
    "Service installed and tested",
    "Site survey passed; service connected",
    "First visit completed",
    "Signed up online; welcome pack sent",
)
BLOCK_REASONS_SYSTEM = ("Invoice overdue more than 60 days", "Direct debit dishonoured twice")
BLOCK_REASONS_STAFF = (
    "Suspected fraudulent sign-up; ID check pending",
    "Customer asked for a temporary suspension while overseas",
    "Disputed charges: service held while billing reviews",
    "Abusive calls to staff; account on hold pending manager review",
)
UNBLOCK_REASONS = (
    "Overdue balance paid in full",
    "Payment arrangement agreed",
    "ID verified",
    "Customer back from travel",
    "Dispute resolved in the customer's favour",
)
DEACTIVATE_REASONS = (
    "Moved out of the service area",
    "Switched to another provider",
    "Business closed",
    "Deceased estate: service cancelled by the executor",
    "No longer needs the service",
)
REACTIVATE_REASONS = ("Customer moved back into the area", "Returned after a trial with another provider")
ARCHIVE_REASONS = (
    "Closed account with a zero balance",
    "Inactive for over a year, nothing owing",
    "Duplicate account; the customer uses the other number",
)

MANUAL_ALERTS = (
    ("warning", "Hard of hearing: prefers email or SMS over phone calls"),
    ("info", "Prefers contact after 5pm on weekdays"),
    ("danger", "Abusive towards staff on the last call: supervisors only"),
    ("warning", "Disputed invoice under review: do not chase payment"),
    ("info", "Power of attorney held by a family member: check the contacts before discussing"),
    ("warning", "Renovation in progress: confirm access before any visit"),
)

PLANS = ("Fibre 100", "Fibre 500", "Fibre 1000", "Wireless 50", "Business Fibre 1000")
ROUTERS = ("Eero Pro 6E", "Netgear Nighthawk AX12", "TP-Link Deco X55", "Acme HomeHub 3")
INVERTER_FAULTS = ("F12 grid voltage", "E021 isolation", "F07 DC over-current", "E35 overtemperature")
BANK_REASONS = ("insufficient funds", "card expired", "account closed", "refer to customer")
