"""The product's words for what a question may touch, so that a synonym the tuning set lacks
("ring", "arrears", "kit") still reads as its concept, and a misspelt one ("tikets", "arears")
is put right first. Each concept found becomes an extra word ("k_owe") beside the question's own;
the classifier learns from both (understanding.py)."""

from __future__ import annotations

import re

CONCEPTS: dict[str, tuple[str, ...]] = {
    "owe": (
        "owe", "owes", "owed", "owing", "outstanding", "balance", "due", "debt", "unpaid",
        "to pay", "paid up", "settled", "unsettled", "collect",
    ),
    "overdue": (
        "overdue", "arrears", "behind", "late", "past due", "missed", "delinquent", "collection",
        "collections", "current", "keeping up", "up to date",
    ),
    "credit": ("credit", "credits", "credited"),
    "lifetime": (
        "lifetime", "ltv", "clv", "all time", "all-time", "ever", "overall", "altogether", "in total",
        "to date", "joined", "signup", "sign up", "signed up", "worth", "revenue", "earned", "made",
        "income", "spent", "spend", "value", "brought in", "day one",
    ),
    "pay": (
        "pay", "paid", "payment", "payments", "pmt", "received", "came in", "come in", "receive",
        "money in",
    ),
    "last": ("last", "latest", "most recent", "recent", "previous", "newest", "lately", "recently"),
    "count": ("how many", "number of", "count", "no. of", "times"),
    "invoice": ("invoice", "invoices", "bill", "bills", "billed", "billing", "invoiced", "statement"),
    "plan": (
        "plan", "plans", "package", "packages", "subscription", "subscriptions", "subscribed",
        "subscribe", "tariff", "service", "services", "product", "products", "speed", "broadband",
        "internet", "fibre", "bundle", "deal", "they on",
    ),
    "price": ("price", "cost", "fee", "per month", "monthly", "each month", "a month", "charge", "rate"),
    "next": ("next", "upcoming", "coming", "future", "again", "scheduled", "will", "booked"),
    "contact": (
        "contact", "contacts", "phone", "mobile", "cell", "telephone", "ring", "call", "email",
        "e-mail", "reach", "get hold", "address", "live", "located", "postal", "speak", "talk",
        "number to", "dial",
    ),
    "instalment": (
        "instalment", "instalments", "installment", "installments", "payment plan", "paid off",
        "payoff", "pay off", "finance", "financed", "purchase", "repayment", "repayments",
    ),
    "ticket": (
        "ticket", "tickets", "support", "complaint", "complaints", "complained", "case", "cases",
        "issue", "issues", "request", "requests", "problem", "problems", "fault", "faults", "raised",
    ),
    "job": (
        "job", "jobs", "appointment", "appointments", "visit", "visits", "technician", "technicians",
        "tech", "engineer", "install", "installation", "installations", "installs", "work order",
        "work orders", "booked", "coming out", "going out", "go round", "going round", "field",
        "callout",
    ),
    "equipment": (
        "equipment", "device", "devices", "router", "modem", "ont", "onu", "cpe", "hardware", "kit",
        "mac", "ip", "ips", "gear", "box",
    ),
    "usage": (
        "usage", "used", "use", "data", "allowance", "cap", "quota", "limit", "consumption",
        "consumed", "gb", "mb", "downloaded", "download",
    ),
    "status": (
        "status", "suspended", "suspend", "activated", "active", "inactive", "blocked", "block",
        "on hold", "closed", "disconnected", "reactivated", "changed",
    ),
    "note": ("note", "notes", "noted", "comment", "comments", "remark", "memo", "written"),
    "manager": (
        "manager", "manages", "managed", "manage", "rep", "representative", "owner", "owns",
        "looks after", "look after", "responsible", "handles", "handle", "assigned", "mgr",
        "relationship", "whose account", "whose customer",
    ),
    "contract": (
        "contract", "contracts", "agreement", "agreements", "signed", "sign", "signature", "signing",
    ),
    "field": ("custom field", "custom fields", "field", "fields"),
    "money": ("how much", "amount", "sum", "total", "money", "dollars", "figure"),
    "when": ("when", "date", "since when", "how long", "what day"),
    "who": ("who", "whom", "whose", "which staff", "which person"),
}  # fmt: skip

# A question that starts with one of these asks us to do something: we only answer questions.
ACTIONS = frozenset(
    [
        "delete",
        "remove",
        "send",
        "refund",
        "change",
        "cancel",
        "create",
        "add",
        "issue",
        "record",
        "close",
        "schedule",
        "update",
        "merge",
        "suspend",
        "set",
        "make",
        "translate",
        "write",
        "book",
        "reset",
        "move",
        "raise",
        "apply",
        "void",
    ]
)
# Questions about the whole book rather than this customer.
_WHOLE_BOOK = re.compile(r"\b(customers|all accounts|everyone|other accounts)\b")
# Concepts that name no topic of their own: a question with only these is not about the account.
_GENERIC = ("money", "when", "who", "last", "next", "count")
TOPIC_WORD = re.compile(r"\bk_(?!(?:" + "|".join(_GENERIC) + r")\b)[a-z]+\b")

_CONCEPT_PATTERNS = [
    (name, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
    for name, words in CONCEPTS.items()
]
VOCABULARY = sorted({w for words in CONCEPTS.values() for w in words if " " not in w and len(w) >= 4})
_VOCABULARY_SET = frozenset(VOCABULARY)
# Everyday words a misspelling check leaves alone.
_COMMON = frozenset(
    [
        "what",
        "when",
        "where",
        "which",
        "while",
        "whose",
        "have",
        "they",
        "them",
        "their",
        "there",
        "this",
        "that",
        "with",
        "from",
        "been",
        "were",
        "does",
        "much",
        "many",
        "more",
        "most",
        "some",
        "show",
        "tell",
        "please",
        "still",
        "left",
        "long",
        "time",
        "times",
        "since",
        "year",
        "month",
        "week",
        "today",
        "about",
        "account",
        "customer",
        "thing",
        "things",
        "anything",
        "give",
        "need",
        "want",
        "know",
        "like",
    ]
)


def spelled(text: str, *, known: frozenset[str] = frozenset()) -> str:
    """Misspelt product words put right ("tikets", "arears", "contarct"), others left alone: a word
    neither known (`known`: the tuning set's words) nor common is replaced by the product word
    fewest edits away (a swap of two letters counts as one), if one is close enough: one edit
    for a word of five letters or fewer, two for a longer one (_closest)."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 4 or not word.isalpha() or word in _COMMON or word in known or word in _VOCABULARY_SET:
            continue
        if (better := _closest(word)) is not None:
            words[i] = better
    return " ".join(words)


_BY_LENGTH: dict[int, list[str]] = {}
for _word in VOCABULARY:
    _BY_LENGTH.setdefault(len(_word), []).append(_word)


def _closest(word: str) -> str | None:
    """The product word closest to `word`, or None. A four-letter word is only ever short of a
    letter ("nots" for "notes"): one letter changed makes too many real words ("sing", "life")."""
    allowed = 1 if len(word) <= 5 else 2
    best: tuple[int, int, str] | None = None
    shortest = len(word) + 1 if len(word) <= 4 else len(word) - allowed
    for length in range(shortest, len(word) + allowed + 1):
        for candidate in _BY_LENGTH.get(length, ()):
            if candidate[0] != word[0] and candidate[1] != word[1]:
                continue
            edits = _edits(word, candidate)
            if edits <= allowed:
                ranked = (edits, abs(length - len(word)), candidate)
                best = ranked if best is None or ranked < best else best
    return best[2] if best else None


def _edits(a: str, b: str) -> int:
    """Edits from a to b: insertions, deletions, substitutions and swaps of neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = int(a[i - 1] != b[j - 1])
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def concepts(text: str, *, asked: str | None = None) -> list[str]:
    """The concept words of a (slotted, spelled) question, and "k_action" for a request to do
    something, "k_book" for a question about other customers. `asked`: the words as typed, before
    spelling, for the verb a request starts with."""
    found = [f"k_{name}" for name, pattern in _CONCEPT_PATTERNS if pattern.search(text)]
    words = (asked or text).split(" ")
    if words[0] in ACTIONS or (words[0] == "please" and len(words) > 1 and words[1] in ACTIONS):
        found.append("k_action")
    if _WHOLE_BOOK.search(text):
        found.append("k_book")
    return found
