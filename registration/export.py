"""The registrations of an event as a streamed CSV file, for the console and the API."""

from django.http import StreamingHttpResponse

from common.csv_export import csv_download

# Rows read per query: a large event never sits whole in memory.
EXPORT_CHUNK = 500

HEADINGS = [
    "name",
    "email",
    "participant type",
    "status",
    "walk-in",
    "applied at",
    "checked in at",
    "themes",
]


def registrations_csv_response(event, registrations, questions) -> StreamingHttpResponse:
    """`registrations` with one column per question in `questions` (those the viewer
    may see), streamed in chunks so a large event never sits whole in memory."""
    rows = registrations.prefetch_related("answers", "theme_interests").iterator(
        chunk_size=EXPORT_CHUNK
    )
    return csv_download(
        (_row(registration, questions) for registration in rows),
        headings=[*HEADINGS, *questions],
        filename=f"{event.slug}-registrations.csv",
        name=f"of {event.slug}'s registrations",
    )


def _row(registration, questions) -> list:
    answers = {a.question_id: a.value for a in registration.answers.all()}
    person = registration.user
    return [
        registration.person_name,
        person.email if person else "",
        person.get_participant_type_display() if person else "",
        registration.get_status_display(),
        registration.is_walk_in,
        registration.applied_at.isoformat(),
        registration.checked_in_at.isoformat() if registration.checked_in_at else "",
        [t.name for t in registration.theme_interests.all()],
        *[answers.get(q.pk) for q in questions],
    ]
