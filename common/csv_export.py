"""CSV files streamed to the browser, safe to open in a spreadsheet.

`csv_download` sends rows as they are read (a large export never sits whole in memory)
and guards every cell against running as a formula (`spreadsheet_cell`).
"""

import csv
import logging
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

logger = logging.getLogger(__name__)

# A cell starting with one of these runs as a formula in a spreadsheet (a tab or
# carriage return may hide one that follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INCOMPLETE = "# The export stopped early because of an error: this file is incomplete."


class _Echo:
    """csv.writer writes to this and gets the line back, for streaming."""

    def write(self, value):
        return value


def spreadsheet_cell(value) -> str:
    """`value` as CSV text: None empty, a list joined with "; ", a bool yes or no, and a
    leading formula character neutralised by a quote."""
    if value is None:
        text = ""
    elif isinstance(value, list | tuple):
        text = "; ".join(map(str, value))
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_download(
    rows: Iterable[Sequence], *, headings: Sequence, filename: str, name: str
) -> StreamingHttpResponse:
    """A CSV attachment of `headings` then `rows` (read lazily, e.g. from a queryset's
    iterator). `name` says in the log which export failed."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([spreadsheet_cell(heading) for heading in headings])
        try:
            for row in rows:
                yield writer.writerow([spreadsheet_cell(cell) for cell in row])
        except Exception:
            # Rows already sent cannot be taken back: say the file is incomplete, then
            # fail, so the server drops the connection instead of ending the file cleanly.
            logger.exception("The CSV export %s stopped early", name)
            yield writer.writerow([INCOMPLETE])
            raise

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
