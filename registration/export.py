"""The registrations of an event as a streamed CSV file, for the console and the API."""

import csv

from django.http import StreamingHttpResponse

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


class _Echo:
    """csv.writer writes to this and gets the line back, for streaming."""

    def write(self, value):
        return value


def registrations_csv_response(event, registrations, questions) -> StreamingHttpResponse:
    """`registrations` with one column per question in `questions` (those the viewer
    may see), streamed in chunks so a large event never sits whole in memory."""
    rows = registrations.prefetch_related("answers", "theme_interests").iterator(chunk_size=500)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(_cell(heading) for heading in [*HEADINGS, *questions])
        for registration in rows:
            answers = {a.question_id: a.value for a in registration.answers.all()}
            person = registration.user
            cells = [
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
            yield writer.writerow([_cell(cell) for cell in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
