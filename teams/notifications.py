"""Team emails, each sent once per step through the outbox."""

from django.urls import reverse

from common.outbox import outbox_enqueue

TEMPLATE = "teams/email/notice"


TEAM_PAGE = "The team's page"


def _send(*, to, purpose, target, subject, lines, path, link=TEAM_PAGE):
    """`link` names what `path` opens; the text part prints it before the address."""
    outbox_enqueue(
        recipient=to.email,
        purpose=purpose,
        target=target,
        template=TEMPLATE,
        context={"subject": subject, "person": to, "lines": lines, "path": path, "link": link},
    )


def join_request_received(request) -> None:
    team = request.team
    lead = team.memberships.select_related("user").filter(role="lead").first()
    if lead is None:
        return
    lines = [f"{request.user} would like to join “{team}”."]
    if request.message:
        lines.append(f"They wrote: “{request.message}”")
    lines.append("Approve or decline on your team's page.")
    _send(
        to=lead.user,
        purpose="team_request_received",
        target=request,
        subject=f"{request.user} asks to join {team}",
        lines=lines,
        path=reverse("team_detail", kwargs={"pk": team.pk}),
    )


def join_request_decided(request) -> None:
    team = request.team
    approved = request.status == "approved"
    _send(
        to=request.user,
        purpose=f"team_request_{request.status}",
        target=request,
        subject=f"You are in {team}" if approved else f"Your request to join {team}",
        lines=[
            f"Welcome to “{team}”: the team lead approved your request."
            if approved
            else f"The lead of “{team}” could not take you this time. The board lists "
            "other teams with open places."
        ],
        path=reverse("team_detail", kwargs={"pk": team.pk})
        if approved
        else reverse("team_board", kwargs={"slug": team.event.slug}),
        link=TEAM_PAGE if approved else "The board of teams",
    )


def matched(membership) -> None:
    team = membership.team
    _send(
        to=membership.user,
        purpose="team_matched",
        target=membership,
        subject=f"Your team at {team.event}: {team}",
        lines=[
            f"The organisers have matched you into “{team}” for {team.event}.",
            "Meet your team mates on the team's page.",
        ],
        path=reverse("team_detail", kwargs={"pk": team.pk}),
    )
