"""Finding what a team's page is about, or answering 404: the person's own team's entry
(addressed by the event alone), or one of an event's files (by its id, for everyone who
may read the entry: the team, the event's organisers and its judges)."""

from dataclasses import dataclass

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from events.selectors import event_get_visible
from submissions.enums import EDITABLE
from submissions.models import Artifact, DatasetCitation, Submission
from teams.selectors import team_of

NO_TEAM = "Only the members of a team at this event have a submission here."
LOCKED = "This submission is locked, so it can no longer be changed."


@dataclass(frozen=True)
class TeamEntry:
    event: object
    team: object
    submission: Submission | None


def team_entry(request, slug) -> TeamEntry:
    """The event and the person's team there with its entry (None before it is started);
    404 for anyone not in a team at this event."""
    event = event_get_visible(slug=slug, user=request.user)
    team = team_of(event, request.user)
    if team is None or not rules.has_perm("submissions.create_submission", request.user, team):
        raise Http404(NO_TEAM)
    team.event = event
    submission = Submission.objects.filter(team=team).first()
    if submission is not None:
        submission.team, submission.event = team, event
    return TeamEntry(event, team, submission)


def changeable_entry(request, slug) -> TeamEntry:
    """The person's team's entry, which they may change (its being open is the services'
    check); 404 before it is started or for anyone else."""
    entry = team_entry(request, slug)
    if entry.submission is None or not rules.has_perm(
        "submissions.change_submission", request.user, entry.submission
    ):
        raise Http404("Start your submission first.")
    return entry


def open_entry(request, slug):
    """The person's team's entry while it may change, and None; once locked, the entry
    and a redirect to its page, which says why."""
    entry = changeable_entry(request, slug)
    if entry.submission.status not in EDITABLE:
        messages.error(request, LOCKED)
        return entry, redirect(entry_url(entry.event))
    return entry, None


def readable_artifact(request, slug, pk, *, permission="submissions.view_submission") -> Artifact:
    """A file of an entry of this event, if the person may read (or `permission`) it."""
    event = event_get_visible(slug=slug, user=request.user)
    artifact = (
        Artifact.objects.select_related("submission__team")
        .filter(pk=pk, submission__event=event)
        .first()
    )
    if artifact is None:
        raise Http404("No such file.")
    artifact.submission.event = event
    artifact.submission.team.event = event
    if not rules.has_perm(permission, request.user, artifact):
        raise Http404("No such file.")
    return artifact


def readable_submission(request, slug, pk) -> Submission:
    """An entry of this event, for those who may read it (its slides' download)."""
    event = event_get_visible(slug=slug, user=request.user)
    submission = Submission.objects.select_related("team").filter(pk=pk, event=event).first()
    if submission is None:
        raise Http404("No such submission.")
    submission.event = submission.team.event = event
    if not rules.has_perm("submissions.view_submission", request.user, submission):
        raise Http404("No such submission.")
    return submission


def team_citation(entry: TeamEntry, pk) -> DatasetCitation:
    """One of the entry's citations, or 404."""
    citation = (
        DatasetCitation.objects.select_related("dataset", "resource")
        .filter(pk=pk, submission=entry.submission)
        .first()
    )
    if citation is None:
        raise Http404("No such citation.")
    citation.submission = entry.submission
    return citation


def entry_url(event) -> str:
    return reverse("submission_mine", kwargs={"slug": event.slug})


def artifact_url(artifact) -> str:
    return reverse(
        "submission_artifact",
        kwargs={"slug": artifact.submission.event.slug, "pk": artifact.pk},
    )


def form_page(request, form, *, event, title, button, back, lines=(), multipart=False):
    """One of the team's form pages (400 when the form was refused)."""
    context = {
        "event": event,
        "form": form,
        "title": title,
        "button": button,
        "back": back,
        "lines": lines,
        "multipart": multipart,
    }
    status = 400 if form.errors else 200
    return render(request, "submissions/team/form.html", context, status=status)
