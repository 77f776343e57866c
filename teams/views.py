"""Participant pages: the teams and the board, a team's page, and every change to a team."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from common.exceptions import ApplicationError
from common.forms import show_service_error
from common.views import act_and_report, confirm_page, is_confirmed
from events.selectors import event_get_visible
from teams import services
from teams.enums import JoinRequestStatus
from teams.forms import (
    BoardEntryForm,
    BoardFilterForm,
    HelpRequestForm,
    JoinRequestForm,
    PartnerForm,
    TeamForm,
    TeamLocationForm,
)
from teams.models import BoardEntry, JoinRequest, PartnerPreference, Team
from teams.selectors import (
    board_entries,
    join_check,
    mentors_of,
    team_of,
    teams_filtered,
    teams_settled,
)

NOT_TAKING_PART = "Teams are open to people with a confirmed place at this event."
# The same whoever the address belongs to, if anyone (teams.services.partner_add).
PARTNER_SAVED = "Saved: if they name you too, the matching will keep you together."


def _event_for(request, slug, permission="teams.view_board"):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm(permission, request.user, event):
        raise PermissionDenied(NOT_TAKING_PART)
    return event


def _team_for(request, pk, permission="teams.view_team"):
    """An active team the requester may see; 404 for anyone else, so nothing leaks."""
    team = (
        Team.objects.select_related("event", "challenge__theme", "theme")
        .filter(pk=pk, disbanded_at__isnull=True)
        .first()
    )
    if team is None or not rules.has_perm(permission, request.user, team):
        raise Http404("No such team.")
    return team


def _done(request, message, to):
    messages.success(request, message)
    return redirect(to)


@login_required
def board(request, slug):
    """The event's teams with open places and the people looking for a team."""
    event = _event_for(request, slug)
    filter_form = BoardFilterForm(request.GET, event=event)
    filters = filter_form.filters()
    max_size = services.team_policy(event).max_size
    mine = team_of(event, request.user)
    context = {
        "event": event,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "teams": teams_filtered(event, **filters),
        "entries": board_entries(event, **filters),
        "max_size": max_size,
        "my_team": mine,
        "can_create": mine is None and rules.has_perm("teams.create_team", request.user, event),
        "my_entry": BoardEntry.objects.filter(event=event, user=request.user).first(),
        "pending_team_ids": set(
            JoinRequest.objects.filter(
                team__event=event, user=request.user, status=JoinRequestStatus.PENDING
            ).values_list("team_id", flat=True)
        ),
    }
    return render(request, "teams/board.html", context)


@login_required
def team_create(request, slug):
    event = _event_for(request, slug, "teams.create_team")
    mine = team_of(event, request.user)
    if mine is not None and request.method == "GET":
        messages.info(request, f"You are already in “{mine}”.")
        return redirect(team_url(mine))
    form = TeamForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(event=event, user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, f"“{team}” is ready. Share its invite link.", team_url(team))
    status = 400 if form.errors else 200
    return render(request, "teams/team_form.html", {"event": event, "form": form}, status=status)


def team_url(team) -> str:
    return reverse("team_detail", kwargs={"pk": team.pk})


@login_required
def team_detail(request, pk):
    return team_page(request, _team_for(request, pk))


def team_page(request, team, *, help_form=None, location_form=None, join_form=None):
    """The team's page; a form given here was refused and is shown with its errors."""
    user = request.user
    is_lead = rules.has_perm("teams.manage_team", user, team)
    is_member = rules.has_perm("teams.raise_help", user, team)
    # Once the event is over the team is its record: nothing on the page offers a change.
    settled = teams_settled(team.event)
    members = team.memberships.select_related("user").prefetch_related("user__skills")
    check = join_check(team, user)
    context = {
        "event": team.event,
        "team": team,
        "members": members,
        "places": check.places,
        "check": check,
        "is_lead": is_lead,
        "is_member": is_member,
        "settled": settled,
        "manages": is_lead and not settled,
        "invite_url": _invite_url(request, team) if is_member else None,
        "requests": team.join_requests.filter(status=JoinRequestStatus.PENDING).select_related(
            "user"
        )
        if is_lead
        else (),
        "help_requests": team.help_requests.select_related("skill", "claimed_by").order_by(
            "-created_at"
        )
        if is_member
        else (),
        "help_form": help_form or (HelpRequestForm() if is_member else None),
        "location_form": location_form or (TeamLocationForm(instance=team) if is_member else None),
        "mentors": mentors_of(team.event) if is_member else (),
        "join_form": join_form or JoinRequestForm(),
        "asked": check.allowed
        and team.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).exists(),
    }
    status = 400 if help_form or location_form or join_form else 200
    return render(request, "teams/team_detail.html", context, status=status)


def _invite_url(request, team) -> str:
    return request.build_absolute_uri(reverse("team_join", kwargs={"code": team.invite_code}))


@login_required
@require_POST
def team_location(request, pk):
    team = _team_for(request, pk, "teams.set_location")
    form = TeamLocationForm(request.POST, instance=Team.objects.get(pk=team.pk))
    if form.is_valid():
        try:
            services.team_location_set(
                team=form.instance, actor=request.user, location=form.cleaned_data["location"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, "Saved: mentors will find you there.", team_url(team))
    return team_page(request, team, location_form=form)


@login_required
def team_edit(request, pk):
    team = _team_for(request, pk, "teams.manage_team")
    form = TeamForm(request.POST or None, instance=team, event=team.event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.TEAM_FIELDS}
        try:
            services.team_update(
                team=Team.objects.get(pk=team.pk),
                actor=request.user,
                wanted_skills=form.cleaned_data["wanted_skills"],
                **fields,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, "Saved.", team_url(team))
    context = {"event": team.event, "form": form, "team": team}
    return render(request, "teams/team_form.html", context, status=400 if form.errors else 200)


@login_required
def team_join(request, code):
    """The invite link: shows the team and, to someone who may join it, a Join button
    (which posts here); everyone else is told why not (teams.selectors.join_check)."""
    try:
        team = services.team_by_invite_code(code)
    except ApplicationError as error:
        raise Http404(error.message) from error
    event_get_visible(slug=team.event.slug, user=request.user)
    check = join_check(team, request.user)
    error, status = None, 200
    if request.method == "POST":
        if not check.allowed:
            status = check.status
        else:
            try:
                services.team_join(team=team, user=request.user, invite_code=code)
            except ApplicationError as refused:
                error, status = refused, refused.status
            else:
                return _done(request, f"Welcome to “{team}”.", team_url(team))
    context = {"team": team, "event": team.event, "check": check, "error": error}
    return render(request, "teams/join.html", context, status=status)


def _act(request, action, *, done, to, refused_to=None):
    """Run `action` (a service call) and report it; then go to `to`, or to `refused_to`
    (by default `to` as well) when it was refused."""
    succeeded = act_and_report(request, action, done=done)
    return redirect(to if succeeded else refused_to or to)


def board_url(event) -> str:
    return reverse("team_board", kwargs={"slug": event.slug})


@login_required
@require_POST
def team_request(request, pk):
    team = _team_for(request, pk)
    check = join_check(team, request.user)
    if not check.allowed:
        messages.error(request, check.reason)
        return redirect(team_url(team))
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return team_page(request, team, join_form=form)
    return _act(
        request,
        lambda: services.join_request_create(
            team=team, user=request.user, message=form.cleaned_data["message"]
        ),
        done=f"Asked to join “{team}”; its lead will decide.",
        to=team_url(team),
    )


@login_required
@require_POST
def request_decide(request, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("team", "user"), pk=pk)
    team = _team_for(request, join_request.team_id, "teams.manage_team")
    approve = request.POST.get("approve") == "1"
    return _act(
        request,
        lambda: services.join_request_decide(
            request=join_request, approve=approve, actor=request.user
        ),
        done=f"{join_request.user} {'is in the team' if approve else 'was declined'}.",
        to=team_url(team),
    )


@login_required
@require_POST
def request_withdraw(request, pk):
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("team__event"), pk=pk, user=request.user
    )
    return _act(
        request,
        lambda: services.join_request_withdraw(request=join_request, actor=request.user),
        done="Request withdrawn.",
        to=board_url(join_request.team.event),
    )


@login_required
def team_leave(request, pk):
    team = _team_for(request, pk, "teams.leave_team")
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Leave “{team}”?",
            lines=[
                "You will no longer be in the team. To come back you need its invite link "
                "again, or its lead's approval, while it has a free place."
            ],
            button="Yes, leave the team",
            back=team_url(team),
        )
    return _act(
        request,
        lambda: services.member_leave(team=team, user=request.user),
        done=f"You have left “{team}”.",
        to=board_url(team.event),
        refused_to=team_url(team),
    )


def _member_of(team, user_pk):
    return get_object_or_404(User, pk=user_pk, team_memberships__team=team)


@login_required
@require_POST
def member_remove(request, pk, user_pk):
    team = _team_for(request, pk, "teams.manage_team")
    member = _member_of(team, user_pk)
    return _act(
        request,
        lambda: services.member_remove(team=team, user=member, actor=request.user),
        done=f"{member} is no longer in the team.",
        to=team_url(team),
    )


@login_required
@require_POST
def lead_transfer(request, pk, user_pk):
    team = _team_for(request, pk, "teams.manage_team")
    member = _member_of(team, user_pk)
    return _act(
        request,
        lambda: services.lead_transfer(team=team, to_user=member, actor=request.user),
        done=f"{member} now leads the team.",
        to=team_url(team),
    )


@login_required
def team_disband(request, pk):
    team = _team_for(request, pk, "teams.manage_team")
    if not is_confirmed(request):
        members = team.memberships.count()
        return confirm_page(
            request,
            title=f"Disband “{team}”?",
            lines=[
                f"The team ends: its {members} {'person is' if members == 1 else 'people are'} "
                "free to join other teams, its requests to join are closed and its invite "
                "link stops working.",
            ],
            warning="This cannot be undone.",
            button="Yes, disband the team",
            back=team_url(team),
        )
    return _act(
        request,
        lambda: services.team_disband(team=team, actor=request.user),
        done=f"“{team}” is disbanded.",
        to=board_url(team.event),
        refused_to=team_url(team),
    )


@login_required
@require_POST
def invite_regenerate(request, pk):
    team = _team_for(request, pk, "teams.manage_team")
    return _act(
        request,
        lambda: services.invite_code_regenerate(team=team, actor=request.user),
        done="A new invite link is ready; the old one no longer works.",
        to=team_url(team),
    )


@login_required
def looking(request, slug):
    """Your place on the board and whom you want to be teamed with."""
    event = _event_for(request, slug, "teams.look_for_team")
    entry = BoardEntry.objects.filter(event=event, user=request.user).first()
    board_form = BoardEntryForm(initial={"pitch": entry.pitch} if entry else None)
    partner_form = PartnerForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "leave_board":
                services.board_entry_remove(event=event, user=request.user)
                return _done(request, "You are off the board.", request.path)
            if action == "partner":
                partner_form = PartnerForm(request.POST)
                if partner_form.is_valid():
                    services.partner_add(
                        event=event, user=request.user, **partner_form.cleaned_data
                    )
                    return _done(request, PARTNER_SAVED, request.path)
            else:
                board_form = BoardEntryForm(request.POST)
                if board_form.is_valid():
                    services.board_entry_set(
                        event=event, user=request.user, **board_form.cleaned_data
                    )
                    return _done(request, "You are on the board.", request.path)
        except ApplicationError as error:
            show_service_error(partner_form if action == "partner" else board_form, error)
        status = 400
    context = {
        "event": event,
        "entry": entry,
        "board_form": board_form,
        "partner_form": partner_form,
        "partners": PartnerPreference.objects.filter(event=event, user=request.user),
        "my_team": team_of(event, request.user),
    }
    return render(request, "teams/looking.html", context, status=status)


@login_required
@require_POST
def partner_remove(request, slug, pk):
    event = _event_for(request, slug, "teams.look_for_team")
    preference = get_object_or_404(PartnerPreference, pk=pk, event=event, user=request.user)
    services.partner_remove(preference=preference)
    return _done(
        request,
        f"{preference.partner_email} removed.",
        reverse("team_looking", kwargs={"slug": event.slug}),
    )
