"""Prizes in earlier apps' registries: the console part "Prizes" and the console page
"Prize winners", the event page's "People's choice" (while voting is open) and
"Winners" (once results are published) sections, and votes in "download my data"."""

import rules
from django.utils import timezone

from accounts.privacy import personal_data_exporters
from events.extensions import (
    ConsolePage,
    ConsolePart,
    Section,
    console_pages,
    console_parts,
    event_page_sections,
)
from events.services import PartServices
from judging.forms_prizes import PrizeForm
from judging.models import Prize, Vote
from judging.selectors_prizes import peoples_choice_of, winners
from judging.services import prizes as services
from submissions.selectors.listing import HANDED_IN


def _for(prize: Prize) -> str:
    if prize.scope is not None:
        return f"{prize.get_kind_display()}: {prize.scope}"
    return prize.get_kind_display()


console_parts.register(
    "prizes",
    ConsolePart(
        model=Prize,
        form_class=PrizeForm,
        services=PartServices(
            create=lambda actor, event, fields: services.prize_create(
                actor=actor, event=event, **fields
            ),
            update=lambda actor, obj, fields: services.prize_update(
                actor=actor, prize=obj, **fields
            ),
            delete=lambda actor, obj: services.prize_delete(actor=actor, prize=obj),
        ),
        url_prefix="organise_prize",
        title="Prizes",
        singular="prize",
        form_takes_event=True,
        related=("theme", "challenge"),
        columns=(("Prize", lambda prize: prize.name), ("For", _for)),
    ),
    order=80,
)

console_pages.register("prizes", ConsolePage("Prize winners", "judging_prizes"), order=55)


def _peoples_choice_section(event, request):
    """While voting is open (and results unpublished): who may vote, and where."""
    if event.results_published_at is not None:
        return None
    prize = peoples_choice_of(event)
    if prize is None or not prize.voting_is_open(timezone.now()):
        return None
    return {
        "event": event,
        "prize": prize,
        "may_vote": rules.has_perm("judging.cast_vote", request.user, event),
    }


def _winners_section(event, request):
    """Each prize with its winner, once results are published; before then nothing."""
    if not rules.has_perm("judging.view_winners", request.user, event):
        return None
    prizes = winners(event)
    if not prizes:
        return None
    return {"event": event, "prizes": prizes, "handed_in": HANDED_IN}


event_page_sections.register(
    "peoples_choice",
    Section("People's choice", "judging/prizes/vote_section.html", _peoples_choice_section),
    order=42,
)
event_page_sections.register(
    "winners", Section("Winners", "judging/prizes/winners_section.html", _winners_section), order=5
)


@personal_data_exporters.register("judging_votes", order=61)
def export_votes(user):
    """The person's people's choice votes. Erasure needs no eraser: a vote is deleted
    with its voter's account (on_delete CASCADE)."""
    votes = Vote.objects.filter(voter=user).select_related("event", "submission__team")
    return [
        {
            "event": vote.event.name,
            "voted_for": vote.submission.title,
            "team": vote.submission.team.name,
            "voted_at": vote.created_at.isoformat(),
        }
        for vote in votes.order_by("created_at", "pk")
    ]
