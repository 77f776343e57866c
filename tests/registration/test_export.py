import csv
import io

import pytest
from django.db import OperationalError, connection

from common import csv_export
from events.enums import RoleKind
from registration import export
from registration.models import Question
from tests.factories import EventRoleFactory, ThemeFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    return role


def _csv_url(event):
    return f"/organise/{event.slug}/registrations.csv"


def test_csv_guards_list_cells_against_formulas(client, organiser):
    event = organiser.event
    theme = ThemeFactory(event=event, name="=cmd|' /C calc'!A0")
    tools = Question.objects.create(
        event=event, label="Tools", kind="multiple_choice", choices=["@SUM(A1)", "Python"]
    )
    register(event, UserFactory(), theme_interests=[theme], answers={tools.pk: ["@SUM(A1)"]})

    response = client.get(_csv_url(event))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, (row,) = rows[0], rows[1:]
    assert row[header.index("themes")] == "'=cmd|' /C calc'!A0"
    assert row[header.index("Tools")] == "'@SUM(A1)"


def test_csv_failing_mid_stream_ends_with_error_line_and_fails(client, organiser, monkeypatch):
    """A database error after some rows were sent must not leave a file that looks
    whole: the stream ends with a line saying so, and then fails (the server drops the
    connection, so the client sees an incomplete transfer)."""
    event = organiser.event
    for _ in range(3):
        register(event, UserFactory())
    monkeypatch.setattr(export, "EXPORT_CHUNK", 1)  # a query per row, so one can fail mid-way
    answer_reads = []

    def fail_second_answer_read(execute, sql, params, many, context):
        if 'FROM "registration_answer"' in sql:
            answer_reads.append(sql)
            if len(answer_reads) == 2:
                raise OperationalError("connection lost")
        return execute(sql, params, many, context)

    response = client.get(_csv_url(event))
    received = []
    with connection.execute_wrapper(fail_second_answer_read), pytest.raises(OperationalError):
        for chunk in response.streaming_content:
            received.append(chunk)

    lines = b"".join(received).decode().splitlines()
    assert len(lines) == 3  # the heading, one person, the error line
    assert lines[-1] == csv_export.INCOMPLETE
