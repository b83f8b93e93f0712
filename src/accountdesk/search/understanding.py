"""Understanding a question: which topic it asks about, and how sure we are.

A small linear classifier (scikit-learn: TF-IDF over character and word n-grams, logistic
regression) is trained at first use from the tuning phrasings in data/tuning.tsv, in well under a
second, and kept for the life of the process. Nothing is downloaded and nothing leaves the machine.

Before the classifier sees a question, the things that vary from one asking to the next are put in
slots and replaced by a placeholder word: periods ("this year", "since March", "in the last 90
days"), amounts ("over $100"), invoice numbers ("INV-0042") and the customer's own name. The
classifier so learns "how many invoices <period>" once, for every period.

A reading below CONFIDENT, or one whose best topic is "unknown" (questions we do not answer, and
requests to change something), is not answered: the engine says so and offers the closest topics'
example questions instead. A custom field named in the question is found by its name first (the
provider's own words, which no tuning set can know).
"""

from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from accountdesk.search.parsing import PERIOD_PATTERN
from accountdesk.search.vocabulary import TOPIC_WORD, concepts, spelled

DATA = Path(__file__).resolve().parent / "data" / "tuning.tsv"
UNKNOWN = "unknown"
# The least probability of the best topic for a question to be answered. Chosen by
# cross-validation on the tuning set (bench/ask.py --tune), never on the held-back phrasings.
CONFIDENT = 0.50
SUGGESTIONS = 3

_AMOUNT = re.compile(
    r"(?:over|above|more than|greater than|bigger than|exceeding|higher than|under|below|less than|"
    r"smaller than|lower than|>|<)\s*(?:[$€£¥]|[a-z]{3}\s)?\s*\d[\d,]*(?:\.\d{1,2})?"
    r"(?:\s*(?:dollars|euros?|pounds|bucks))?"
    r"|[$€£¥]\s*\d[\d,]*(?:\.\d{1,2})?"
)
INVOICE_NUMBER = re.compile(
    r"\b(?:inv-?\d+|(?:invoice|bill)\s+(?:number\s+|no\.?\s*|#\s*)?\d+|#\s*\d+)\b|#\d+"
)
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about what is asked, left out when matching a custom field's name.
_FILLER = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "of",
        "the",
        "on",
        "in",
        "to",
        "is",
        "are",
        "for",
        "at",
        "by",
        "with",
        "it",
        "its",
        "their",
    ]
)


def slotted(text: str, *, names: tuple[str, ...] = ()) -> str:
    """The (normalised) question with its slots replaced by placeholder words."""
    text = PERIOD_PATTERN.sub(" zperiod ", text)
    text = INVOICE_NUMBER.sub(
        lambda m: " zinvoice " if "invoice" not in m.group(0) else " invoice zinvoice ", text
    )
    text = _AMOUNT.sub(" zamount ", text)
    text = _NUMBER.sub(" znumber ", text)
    text = text.replace("'s ", " ").replace("'", "")
    words = [w for w in re.findall(r"[a-z]+", text) if w not in names]
    return " ".join(words)


def name_words(name: str) -> tuple[str, ...]:
    """The words of a customer's name worth taking out of a question ("grace", "hopper")."""
    return tuple(w for w in _WORD.findall(name.lower()) if len(w) > 2 and w not in _FILLER)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text) if w not in _FILLER]


def field_named(text: str, field_names: list[str]) -> str | None:
    """The custom field a question names: the words of its name, in order and with no other word
    between them (fillers aside); all of a one-word name, two or more and at least two thirds of
    a longer one's ("gate code" for "Gate or building code"). The best covered name wins."""
    asked = _words(text)
    best, best_score = None, 0.0
    for name in field_names:
        words = _words(name.lower())
        if not words:
            continue
        found = _longest_run(asked, words)
        score = found / len(words)
        named = (len(words) == 1 and found == 1) or (found >= 2 and score >= 2 / 3)
        if named and score > best_score:
            best, best_score = name, score
    return best


def _longest_run(asked: list[str], name: list[str]) -> int:
    """The most of `name`'s words that follow each other in `asked`, in the name's order."""
    best = 0
    for start in range(len(asked)):
        position, run = 0, 0
        for word in asked[start:]:
            if word not in name[position:]:
                break
            position = name.index(word, position) + 1
            run += 1
        best = max(best, run)
    return best


@dataclass(frozen=True)
class Reading:
    """What a question asks: its topic (None when not understood), how sure, and the closest
    topics, best first (for suggestions when it is not understood)."""

    topic: str | None
    confidence: float
    closest: tuple[str, ...]


def tuning_set(path: Path = DATA) -> list[tuple[str, str]]:
    """(topic, question) pairs of a phrasing file; lines starting with # are comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        topic, question = line.split("\t", 1)
        rows.append((topic.strip(), question.strip()))
    return rows


def features_text(text: str, *, names: tuple[str, ...] = (), known: frozenset[str] = frozenset()) -> str:
    """What the classifier reads: the slotted question, spelled right, and its concepts."""
    asked = slotted(text, names=names)
    base = spelled(asked, known=known)
    return " ".join([base, *concepts(base, asked=asked)])


class Classifier:
    """The fitted model, read out of scikit-learn into plain Python: per n-gram its column's idf and
    its weight for each topic. Scoring a question then costs well under a millisecond, where the
    library's own predict spends most of its time checking its inputs."""

    def __init__(self, pipeline, known_words: frozenset[str]) -> None:
        import numpy as np

        union, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.known_words = known_words
        self.classes = [str(c) for c in regression.classes_]
        self.intercept = regression.intercept_.copy()
        self.blocks = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            weights = {
                gram: (vectorizer.idf_[column], regression.coef_[:, offset + column].copy())
                for gram, column in vectorizer.vocabulary_.items()
            }
            self.blocks.append((vectorizer.build_analyzer(), weights))
            offset += len(vectorizer.vocabulary_)
        self._np = np

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """(topic, probability) for every topic, the most likely first."""
        np = self._np
        scores = self.intercept.copy()
        for analyse, weights in self.blocks:
            counts: dict[str, int] = {}
            for gram in analyse(text):
                if gram in weights:
                    counts[gram] = counts.get(gram, 0) + 1
            if not counts:
                continue
            values = {g: (1 + math.log(n)) * weights[g][0] for g, n in counts.items()}
            norm = math.sqrt(sum(v * v for v in values.values()))
            for gram, value in values.items():
                scores += (value / norm) * weights[gram][1]
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return sorted(zip(self.classes, (float(p) for p in scores), strict=True), key=lambda p: -p[1])


def build_model(rows: list[tuple[str, str]]) -> Classifier:
    """A classifier fitted to (topic, question) rows."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
    from threadpoolctl import threadpool_limits

    from accountdesk.search.parsing import normalise

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
    )
    texts = [slotted(normalise(q)) for _, q in rows]
    known = frozenset(word for text in texts for word in text.split(" "))
    pipeline = make_pipeline(features, LogisticRegression(C=30, max_iter=3000))
    # One thread: the fit is small, and on a busy machine more threads only wait for each other
    # (several times slower on two shared cores).
    with threadpool_limits(limits=1):
        pipeline.fit([features_text(normalise(q), known=known) for _, q in rows], [t for t, _ in rows])
    return Classifier(pipeline, known)


@functools.cache
def model() -> Classifier:
    """The classifier, trained once per process from the tuning set."""
    return build_model(tuning_set())


def warm_up() -> None:
    """Train the classifier in the background, so the first question a web process is asked does
    not wait for it (a few seconds on a busy machine)."""
    threading.Thread(target=model, name="ask-warm-up", daemon=True).start()


def read(
    text: str,
    *,
    names: tuple[str, ...] = (),
    field_names: list[str] | None = None,
    classifier: Classifier | None = None,
) -> Reading:
    """Read a normalised question. `names`: the customer's name words; `field_names`: the
    provider's custom fields."""
    if field_names and field_named(text, field_names):
        return Reading("custom_field", 1.0, ())
    classifier = classifier or model()
    features = features_text(text, names=names, known=classifier.known_words)
    ranked = classifier.probabilities(features)
    closest = tuple(str(t) for t, _ in ranked if t != UNKNOWN)[:SUGGESTIONS]
    topic, confidence = str(ranked[0][0]), float(ranked[0][1])
    # Requests to do something and questions about other customers are not ours to answer,
    # however much they sound like a topic ("suspend this account", "which customers are overdue").
    outside = "k_action" in features or "k_book" in features or not TOPIC_WORD.search(features)
    if topic == UNKNOWN or confidence < CONFIDENT or outside:
        return Reading(None, confidence, closest)
    return Reading(topic, confidence, closest)
