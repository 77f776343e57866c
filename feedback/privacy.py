"""Feedback in "download my data" and in account erasure (accounts.privacy).

The export lists the surveys a person was invited to and whether they answered, with the
answers of named surveys. An anonymous survey's answers cannot be exported: nothing
links them to anyone, which is the point. Erasure keeps each invitation without its
account (response rates do not move) and keeps named answers as if anonymous: the link
and the time go, and so do free-text answers, which may name the person; ratings and
choices stay in the report's figures. Directory entries are exported, and go with the
account (CASCADE)."""

from accounts.privacy import personal_data_erasers, personal_data_exporters
from feedback.enums import SurveyQuestionKind
from feedback.models import DirectoryEntry, SurveyInvitation, SurveyQuestion, SurveyResponse


@personal_data_exporters.register("feedback", order=70)
def export_feedback(user):
    invitations = (
        SurveyInvitation.objects.filter(user=user)
        .select_related("survey__event", "response")
        .order_by("pk")
    )
    rows = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        rows.append(
            {
                "event": invitation.survey.event.name,
                "audience": invitation.audience,
                "answered": invitation.responded,
                "anonymous": invitation.survey.anonymous,
                "answers": _labelled(response) if response else None,
                "answered_at": response.submitted_at.isoformat() if response else None,
            }
        )
    entries = DirectoryEntry.objects.filter(user=user).select_related("event").order_by("pk")
    return {
        "surveys": rows,
        "directory_entries": [
            {
                "event": entry.event.name,
                "about": entry.about,
                "shows_email": entry.shares_email,
                "email_consent_version": entry.email_consent_version or None,
                "email_consented_at": entry.email_consented_at.isoformat()
                if entry.email_consented_at
                else None,
            }
            for entry in entries
        ],
    }


def _labelled(response) -> dict:
    texts = dict(
        SurveyQuestion.objects.filter(pk__in=[int(k) for k in response.answers]).values_list(
            "pk", "text"
        )
    )
    return {
        texts.get(int(key), f"Question {key}"): value for key, value in response.answers.items()
    }


@personal_data_erasers.register("feedback", order=70)
def erase_feedback(user):
    responses = SurveyResponse.objects.filter(invitation__user=user)
    text_ids = {
        str(pk)
        for pk in SurveyQuestion.objects.filter(
            event__survey__responses__in=responses, kind=SurveyQuestionKind.TEXT
        ).values_list("pk", flat=True)
    }
    for response in responses:
        response.answers = {k: v for k, v in response.answers.items() if k not in text_ids}
        response.invitation = None
        response.submitted_at = None
        response.save(update_fields=["answers", "invitation", "submitted_at"])
    SurveyInvitation.objects.filter(user=user).update(user=None)
