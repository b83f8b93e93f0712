from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

from accountdesk.search.engine import QUESTION_MAX_LENGTH

QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=QUESTION_MAX_LENGTH)
]


class AskIn(Schema):
    question: QuestionText


class CitationOut(Schema):
    type: str
    id: int
    label: str
    url: str


class AskOut(Schema):
    answer: str
    citations: list[CitationOut]
    # When the question could not be answered: questions that can be, closest first.
    suggestions: list[str]
