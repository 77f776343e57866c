"""Teams: forming, joining, leaving, leading, the board and "we want to be together".

A team's places are taken with its row locked (common.locking), so a team never grows
past its event's maximum size whatever the concurrency. Only people taking part in the
event (a confirmed or checked-in registration) can be in a team, one team per event.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import hold_race_window, lock_capacity_row
from common.services import full_clean_or_raise, reject_unknown_fields
from registration.models import Registration
from registration.selectors import participations
from teams import notifications
from teams.enums import HelpStatus, JoinRequestStatus, MemberRole, TeamActor
from teams.models import (
    BoardEntry,
    HelpRequest,
    JoinRequest,
    PartnerPreference,
    Team,
    TeamMembership,
    TeamPolicy,
    new_invite_code,
)
from teams.selectors import team_of, teams_settled
from teams.transitions import join_request_locked, join_request_move, join_requests_close

R = JoinRequestStatus
TEAM_FIELDS = ("name", "description", "challenge", "theme", "accepts_requests")


def team_policy(event) -> TeamPolicy:
    return TeamPolicy.objects.get_or_create(event=event)[0]


def check_teams_open(event, now=None) -> None:
    """The one guard of every service that changes an event's teams, who is in them or
    who asks to be (requests to join, the board, matching), or raises a help request:
    each is refused once the event is over. (Mentors may still close help requests, and
    account deletion still takes a name off a team: teams.contributions.erase_teams.)"""
    if teams_settled(event, now):
        raise ApplicationError(
            "The event has finished, so its teams can no longer change.",
            code="event_finished",
            status=409,
        )


def _check_takes_part(event, user):
    """Lock the person's place at `event` and check they take part. Called inside the
    transaction that acts on it, so a cancellation cannot slip in between: its status
    change waits for this lock, then takes them out of the team they joined."""
    try:
        lock_capacity_row(participations(event).filter(user=user))
    except Registration.DoesNotExist:
        raise ApplicationError(
            f"{user} does not have a confirmed place at {event}; only people taking part "
            "can be in a team.",
            code="not_taking_part",
            status=403,
        ) from None


def _check_not_in_a_team(event, user):
    team = team_of(event, user)
    if team is not None:
        raise ApplicationError(
            f"{user} is already in the team “{team}”; leave it first.",
            code="already_in_team",
            status=409,
        )


def _lock_team(team) -> Team:
    try:
        return lock_capacity_row(
            Team.objects.select_related("event").filter(pk=team.pk, disbanded_at__isnull=True)
        )
    except Team.DoesNotExist:
        raise ApplicationError(
            "This team has disbanded.", code="team_disbanded", status=409
        ) from None


def _clean_focus(event, challenge, theme):
    for part, name in ((challenge, "challenge"), (theme, "theme")):
        if part is not None and part.event_id != event.pk:
            raise ApplicationError(
                f"Choose a {name} of this event.",
                details={name: [f"Not a {name} of this event."]},
            )
    if challenge is not None and theme is not None:
        raise ApplicationError(
            "Choose a challenge or a theme, not both: a challenge already has its theme.",
            details={"theme": ["Leave empty when a challenge is chosen."]},
        )


def member_add(team, user, role, now) -> TeamMembership:
    """Add `user` to `team`, which the caller has locked; their other pending requests
    and their board entry go."""
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                team=team, event=team.event, user=user, role=role, joined_at=now
            )
    except IntegrityError:
        _check_not_in_a_team(team.event, user)  # names the team they are in
        raise
    join_requests_close(
        JoinRequest.objects.filter(team__event=team.event, user=user).exclude(team=team),
        reason="joined_another_team",
        now=now,
    )
    BoardEntry.objects.filter(event=team.event, user=user).delete()
    return membership


@transaction.atomic
def team_create(
    *,
    event,
    user,
    name,
    description="",
    challenge=None,
    theme=None,
    wanted_skills=(),
    accepts_requests=True,
    now=None,
) -> Team:
    """Start a team with `user` as its lead."""
    now = now or timezone.now()
    check_teams_open(event, now)
    _check_takes_part(event, user)
    _check_not_in_a_team(event, user)
    _clean_focus(event, challenge, theme)
    team = Team(
        event=event,
        name=" ".join(str(name).split()),
        description=str(description).strip(),
        challenge=challenge,
        theme=theme,
        accepts_requests=accepts_requests,
    )
    full_clean_or_raise(team)
    team.save()
    team.wanted_skills.set(wanted_skills)
    member_add(team, user, MemberRole.LEAD, now)
    audit_record(actor=user, action="team.created", target=team)
    return team


@transaction.atomic
def team_update(*, team, actor, wanted_skills=None, now=None, **fields) -> Team:
    check_teams_open(team.event, now)
    reject_unknown_fields(fields, TEAM_FIELDS)
    if "name" in fields:
        fields["name"] = " ".join(str(fields["name"]).split())
    for name, value in fields.items():
        setattr(team, name, value)
    _clean_focus(team.event, team.challenge, team.theme)
    full_clean_or_raise(team)
    team.save()
    if wanted_skills is not None:
        team.wanted_skills.set(wanted_skills)
    audit_record(actor=actor, action="team.updated", target=team)
    return team


def team_join(*, team, user, invite_code, now=None) -> TeamMembership:
    """Join `team` with its invite code, while it has a free place."""
    now = now or timezone.now()
    if invite_code != team.invite_code:
        raise ApplicationError(
            "That invite link is no longer valid; ask the team for a new one.",
            code="invalid_invite",
            status=404,
        )
    return _join(team=team, user=user, actor=user, action="team.joined", now=now)


def _join(*, team, user, actor, action, now) -> TeamMembership:
    check_teams_open(team.event, now)
    with transaction.atomic():
        _check_takes_part(team.event, user)
        _check_not_in_a_team(team.event, user)
        team = _lock_team(team)
        size = team.memberships.count()
        hold_race_window()
        maximum = team_policy(team.event).max_size
        if size >= maximum:
            raise ApplicationError(
                f"“{team}” is full: a team has at most {maximum} people.",
                code="team_full",
                status=409,
                details={"max_size": [maximum]},
            )
        membership = member_add(team, user, MemberRole.MEMBER, now)
        audit_record(actor=actor, action=action, target=team, data={"user": user.pk})
    return membership


def team_by_invite_code(code: str) -> Team:
    team = (
        Team.objects.select_related("event")
        .filter(invite_code=str(code), disbanded_at__isnull=True)
        .first()
    )
    if team is None:
        raise ApplicationError(
            "That invite link is no longer valid; ask the team for a new one.",
            code="invalid_invite",
            status=404,
        )
    return team


@transaction.atomic
def team_location_set(*, team, actor, location, now=None) -> Team:
    """Say where the team sits on the day, for mentors coming to help; anyone in it may."""
    check_teams_open(team.event, now)
    team.location = " ".join(str(location).split())
    full_clean_or_raise(team)
    team.save(update_fields=["location", "updated_at"])
    audit_record(actor=actor, action="team.location_set", target=team)
    return team


@transaction.atomic
def invite_code_regenerate(*, team, actor, now=None) -> Team:
    """A new invite link; the old one stops working (e.g. after it was shared too widely)."""
    check_teams_open(team.event, now)
    team.invite_code = new_invite_code()
    team.save(update_fields=["invite_code", "updated_at"])
    audit_record(actor=actor, action="team.invite_regenerated", target=team)
    return team


# --- Join requests ----------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, team, user, message="", now=None) -> JoinRequest:
    now = now or timezone.now()
    check_teams_open(team.event, now)
    _check_takes_part(team.event, user)
    _check_not_in_a_team(team.event, user)
    if team.disbanded_at is not None or not team.accepts_requests:
        raise ApplicationError(
            f"“{team}” is not taking requests to join.", code="requests_closed", status=409
        )
    message = str(message or "").strip()
    if len(message) > 300:
        raise ApplicationError(
            "Message: at most 300 characters.",
            details={"message": ["At most 300 characters."]},
        )
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(team=team, user=user, message=message)
            audit_record(actor=user, action="team.join_requested", target=request)
            notifications.join_request_received(request)
    except IntegrityError:
        raise ApplicationError(
            f"You have already asked to join “{team}”; the team lead will decide.",
            code="already_requested",
            status=409,
        ) from None
    return request


def join_request_decide(*, request, approve: bool, actor, now=None) -> JoinRequest:
    """The team lead approves (the person joins, if there is room) or declines."""
    now = now or timezone.now()
    check_teams_open(request.team.event, now)
    with transaction.atomic():
        if approve:
            # The person's place before the team, in the order a cancellation takes them.
            _check_takes_part(request.team.event, request.user)
        # Decisions on one team's requests queue on its row, so two clicks decide once.
        _lock_team(request.team)
        current = join_request_locked(request)
        if approve and current.status == R.PENDING:
            _join(
                team=current.team,
                user=current.user,
                actor=actor,
                action="team.request_approved",
                now=now,
            )
        return join_request_move(
            request=current,
            to=R.APPROVED if approve else R.DECLINED,
            by=TeamActor.LEAD,
            actor=actor,
            now=now,
        )


def join_request_withdraw(*, request, actor, now=None) -> JoinRequest:
    check_teams_open(request.team.event, now)
    return join_request_move(request=request, to=R.WITHDRAWN, by=TeamActor.REQUESTER, actor=actor)


# --- Membership -------------------------------------------------------------------------


def _membership(team, user) -> TeamMembership:
    membership = TeamMembership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise ApplicationError(f"{user} is not in “{team}”.", code="not_a_member", status=409)
    return membership


@transaction.atomic
def member_leave(*, team, user, now=None) -> None:
    """Leave a team. A lead hands over first, or disbands a team they are alone in."""
    check_teams_open(team.event, now)
    team = _lock_team(team)
    membership = _membership(team, user)
    if membership.role == MemberRole.LEAD:
        raise ApplicationError(
            "You lead this team: make someone else the lead before leaving, or disband "
            "the team if you are the only one in it.",
            code="lead_cannot_leave",
            status=409,
        )
    membership.delete()
    audit_record(actor=user, action="team.left", target=team, data={"user": user.pk})


@transaction.atomic
def member_remove(*, team, user, actor, now=None) -> None:
    check_teams_open(team.event, now)
    team = _lock_team(team)
    membership = _membership(team, user)
    if membership.role == MemberRole.LEAD:
        raise ApplicationError(
            "The lead cannot be removed; hand the lead over first.",
            code="lead_cannot_leave",
            status=409,
        )
    membership.delete()
    audit_record(actor=actor, action="team.member_removed", target=team, data={"user": user.pk})


@transaction.atomic
def lead_transfer(*, team, to_user, actor, now=None) -> TeamMembership:
    check_teams_open(team.event, now)
    team = _lock_team(team)
    new_lead = _membership(team, to_user)
    if new_lead.role == MemberRole.LEAD:
        raise ApplicationError(
            f"{to_user} already leads “{team}”.", code="already_lead", status=409
        )
    # One lead per team is a constraint, so the old lead steps down first.
    team.memberships.filter(role=MemberRole.LEAD).update(role=MemberRole.MEMBER)
    new_lead.role = MemberRole.LEAD
    new_lead.save(update_fields=["role"])
    audit_record(actor=actor, action="team.lead_transferred", target=team, data={"to": to_user.pk})
    return new_lead


@transaction.atomic
def team_disband(*, team, actor, now=None) -> Team:
    """End the team: everyone is free to join another; open requests close."""
    now = now or timezone.now()
    check_teams_open(team.event, now)
    team = _disband(_lock_team(team), now)
    audit_record(actor=actor, action="team.disbanded", target=team)
    return team


def _disband(team, now) -> Team:
    """The locked `team` ends: nobody is in it and its open requests close."""
    team.memberships.all().delete()
    join_requests_close(team.join_requests.all(), reason="team_ended", now=now)
    team.disbanded_at = now
    team.save(update_fields=["disbanded_at", "updated_at"])
    return team


@transaction.atomic
def participant_withdraw(*, event, user, actor=None, now=None) -> None:
    """`user` no longer takes part in `event`: out of their team (a lead hands over to
    the longest-standing member, or the team disbands if they were alone), off the
    board, their requests and "together" preferences gone."""
    now = now or timezone.now()
    check_teams_open(event, now)
    membership = TeamMembership.objects.filter(event=event, user=user).first()
    if membership is not None:
        team = _lock_team(membership.team)
        successor = team.memberships.exclude(user=user).order_by("joined_at", "id").first()
        membership.delete()
        if successor is None:
            _disband(team, now)
        elif membership.role == MemberRole.LEAD:
            successor.role = MemberRole.LEAD
            successor.save(update_fields=["role"])
        audit_record(actor=actor, action="team.left", target=team, data={"user": user.pk})
    join_requests_close(
        JoinRequest.objects.filter(team__event=event, user=user), reason="not_taking_part", now=now
    )
    BoardEntry.objects.filter(event=event, user=user).delete()
    # Only their own: others' preferences naming them stay (matching pairs only people
    # taking part), since their vanishing would tell those others that this person left.
    PartnerPreference.objects.filter(event=event, user=user).delete()


def participant_place_lost(*, event, user, now=None) -> None:
    """`user` lost their place at `event` (cancelled, or marked a no-show). Before the
    event starts they leave its teams (participant_withdraw); from its start teams stay
    as they are: the team's work is under way, and once the event is over the team is
    its record."""
    now = now or timezone.now()
    if now < event.starts_at:
        participant_withdraw(event=event, user=user, now=now)


# --- The board and "we want to be together" ---------------------------------------------


@transaction.atomic
def board_entry_set(*, event, user, pitch, now=None) -> BoardEntry:
    """Say you are looking for a team, with a short pitch (or change the pitch)."""
    check_teams_open(event, now)
    _check_takes_part(event, user)
    _check_not_in_a_team(event, user)
    pitch = " ".join(str(pitch or "").split())
    if not pitch or len(pitch) > 300:
        reason = "Required." if not pitch else "At most 300 characters."
        raise ApplicationError(f"Pitch: {reason}", details={"pitch": [reason]})
    entry, _ = BoardEntry.objects.update_or_create(
        event=event, user=user, defaults={"pitch": pitch}
    )
    return entry


@transaction.atomic
def board_entry_remove(*, event, user) -> None:
    BoardEntry.objects.filter(event=event, user=user).delete()


@transaction.atomic
def partner_add(*, event, user, partner_email) -> PartnerPreference:
    """Ask the matching to keep you with the person at `partner_email`, which it does
    only if they name you too. Whether anyone has that address, or a place at the event,
    is never looked up here: the answer is the same either way, so nobody can use this
    to find out who is coming."""
    address = str(partner_email).strip().lower()
    if address == user.email.lower():
        raise ApplicationError(
            "Name someone other than yourself.",
            details={"partner_email": ["This is your own address."]},
        )
    preference, _ = PartnerPreference.objects.get_or_create(
        event=event, user=user, partner_email=address
    )
    return preference


@transaction.atomic
def partner_remove(*, preference) -> None:
    preference.delete()


@transaction.atomic
def team_policy_update(*, event, actor, min_size, max_size) -> TeamPolicy:
    policy = team_policy(event)
    if not 1 <= min_size <= max_size:
        raise ApplicationError(
            "The smallest team size must be at least 1 and no more than the largest.",
            details={"min_size": ["Between 1 and the largest size."]},
        )
    policy.min_size, policy.max_size = min_size, max_size
    policy.save()
    audit_record(
        actor=actor,
        action="team.sizes_changed",
        target=policy,
        data={"min": min_size, "max": max_size},
    )
    return policy


# --- Mentor help queue ------------------------------------------------------------------

# step -> (statuses it may start from, status it leads to)
HELP_STEPS = {
    "claim": ({HelpStatus.OPEN}, HelpStatus.CLAIMED),
    "release": ({HelpStatus.CLAIMED}, HelpStatus.OPEN),
    "resolve": ({HelpStatus.OPEN, HelpStatus.CLAIMED}, HelpStatus.RESOLVED),
    "cancel": ({HelpStatus.OPEN, HelpStatus.CLAIMED}, HelpStatus.CANCELLED),
}


@transaction.atomic
def help_request_create(*, team, user, topic, skill=None, details="", now=None) -> HelpRequest:
    check_teams_open(team.event, now)
    help_request = HelpRequest(
        team=team,
        topic=" ".join(str(topic).split()),
        skill=skill,
        details=str(details).strip(),
        raised_by=user,
    )
    full_clean_or_raise(help_request)
    help_request.save()
    audit_record(actor=user, action="help.raised", target=help_request)
    return help_request


@transaction.atomic
def help_request_move(*, help_request, step, actor, now=None) -> HelpRequest:
    """Claim, release, resolve or cancel; a conditional update, so two mentors clicking
    "claim" at once cannot both get it."""
    now = now or timezone.now()
    if step not in HELP_STEPS:
        raise ApplicationError(f"Unknown step “{step}”.", code="invalid_step")
    sources, target = HELP_STEPS[step]
    changes = {"status": target, "updated_at": now}
    if target == HelpStatus.CLAIMED:
        changes |= {"claimed_by": actor, "claimed_at": now}
    if target == HelpStatus.OPEN:
        changes |= {"claimed_by": None, "claimed_at": None}
    if target in (HelpStatus.RESOLVED, HelpStatus.CANCELLED):
        changes["resolved_at"] = now
    moved = HelpRequest.objects.filter(pk=help_request.pk, status__in=sources).update(**changes)
    help_request.refresh_from_db()
    if not moved:
        raise ApplicationError(
            f"This request is {help_request.get_status_display().lower()}, so it cannot be "
            f"{'claimed' if step == 'claim' else step + 'd'} now.",
            code="invalid_transition",
            status=409,
        )
    audit_record(actor=actor, action=f"help.{step}", target=help_request)
    return help_request
