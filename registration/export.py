"""The registrations of an event as a streamed CSV file, for the console and the API."""

import csv
import logging

from django.http import StreamingHttpResponse

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows read per query: a large event never sits whole in memory.
EXPORT_CHUNK = 500
INCOMPLETE = "# The export stopped early because of an error: this file is incomplete."

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
    rows = registrations.prefetch_related("answers", "theme_interests").iterator(
        chunk_size=EXPORT_CHUNK
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(_cell(heading) for heading in [*HEADINGS, *questions])
        try:
            for registration in rows:
                yield writer.writerow([_cell(cell) for cell in _row(registration, questions)])
        except Exception:
            # Rows already sent cannot be taken back: say the file is incomplete, then
            # fail, so the server drops the connection instead of ending the file cleanly.
            logger.exception("The CSV export of %s stopped early", event.slug)
            yield writer.writerow([INCOMPLETE])
            raise

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


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


def _cell(value) -> str:
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = "; ".join(map(str, value))
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
    # A leading =, +, - or @ (or a tab or carriage return before one) would run as a
    # formula in a spreadsheet; every cell is guarded, lists of themes or options too.
    return "'" + text if text[:1] in FORMULA_STARTS else text
