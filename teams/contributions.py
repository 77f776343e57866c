"""This app's entries in the earlier apps' registries: dashboard, console, privacy."""

import rules
from django.db.models import Q

from accounts.privacy import personal_data_erasers, personal_data_exporters
from events.extensions import (
    ConsolePage,
    Section,
    console_pages,
    dashboard_panels,
    event_page_sections,
)
from teams import services
from teams.console import teams_summary
from teams.models import BoardEntry, HelpRequest, JoinRequest, PartnerPreference, TeamMembership
from teams.selectors import team_of


def _teams_section(event, request):
    """Shown to those who may see the event's teams: a way in, or their own team."""
    user = request.user
    if not rules.has_perm("teams.view_board", user, event):
        return None
    return {
        "event": event,
        "my_team": team_of(event, user),
        "help_queue": rules.has_perm("teams.help_queue", user, event),
    }


event_page_sections.register(
    "teams", Section("Teams", "teams/sections/event.html", _teams_section), order=10
)


def _teams_panel(event, request):
    return {"event": event, "summary": teams_summary(event, services.team_policy(event))}


dashboard_panels.register(
    "teams", Section("Teams", "teams/panels/teams.html", _teams_panel), order=20
)
console_pages.register("teams", ConsolePage("Teams", "teams_console"), order=30)


@personal_data_exporters.register("teams", order=30)
def export_teams(user):
    memberships = TeamMembership.objects.filter(user=user).select_related("team__event")
    return {
        "memberships": [
            {
                "event": m.team.event.name,
                "team": m.team.name,
                "role": m.role,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in memberships
        ],
        "join_requests": [
            {"team": r.team.name, "message": r.message, "status": r.status}
            for r in JoinRequest.objects.filter(user=user).select_related("team")
        ],
        "board_entries": [
            {"event": e.event.name, "pitch": e.pitch}
            for e in BoardEntry.objects.filter(user=user).select_related("event")
        ],
        "partner_preferences": [
            {"event": p.event.name, "partner_email": p.partner_email}
            for p in PartnerPreference.objects.filter(user=user).select_related("event")
        ],
        "help_requests_raised": [
            {"team": h.team.name, "topic": h.topic, "status": h.status}
            for h in HelpRequest.objects.filter(raised_by=user).select_related("team")
        ],
    }


@personal_data_erasers.register("teams", order=30)
def erase_teams(user):
    """Requests, pitches and preferences go. Before an event is over the person leaves
    its team as if they had withdrawn (a team they led passes to its longest-standing
    member); after it the team is the event's record, so their place in it stays,
    unnamed, as their registration does."""
    for membership in TeamMembership.objects.filter(user=user).select_related("event"):
        if services.teams_settled(membership.event):
            membership.user = None
            membership.save(update_fields=["user"])
        else:
            services.participant_withdraw(event=membership.event, user=user)
    JoinRequest.objects.filter(user=user).delete()
    BoardEntry.objects.filter(user=user).delete()
    # Others' preferences naming the person's address hold their personal data too.
    PartnerPreference.objects.filter(Q(user=user) | Q(partner_email=user.email.lower())).delete()
