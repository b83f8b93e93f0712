from ninja import Router

from accountdesk.api.throttling import api_rate_limited
from accountdesk.customers.api import customer_for
from accountdesk.search.engine import ask
from accountdesk.search.schemas import AskIn, AskOut

router = Router(tags=["search"])


# Not @idempotent: asking writes nothing, so a retry is simply asked again and answers from the
# books as they are then; storing the first answer to replay it would be a write for a read and
# would hand back figures that may have changed since.
@router.post("/customers/{customer_id}/ask", response=AskOut)
@api_rate_limited("ask")
def customer_ask(request, customer_id: int, payload: AskIn):
    """Ask about this customer in plain English ("what's the balance", "open jobs next week"):
    one sentence and the records it rests on, each with the URL of the page that shows it.
    It answers only from what your role may see; a question it does not understand gets the
    list of what it can answer."""
    customer = customer_for(request, customer_id)
    return ask(viewer=request.actor, customer=customer, question=payload.question).as_dict()
