"""Taking capacity (event seats, team places): lock one row, late, with a bounded wait.

Every service that checks and consumes a capacity, or acts on a fact another
transaction may change meanwhile (a person's place), locks the row that holds it through
`lock_capacity_row` (or the rows, through `lock_rows`), inside its transaction. On
PostgreSQL the wait is bounded by CAPACITY_LOCK_TIMEOUT_MS; a lock not had in time
answers "busy, please try again".
"""

import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection

from common.exceptions import ApplicationError

BUSY_MESSAGE = "This is busy right now; please try again in a moment."

# FOR UPDATE OF the queried table only: without OF, PostgreSQL also locks every row the
# query joins (select_related("event") would lock the event's row, and every seat change
# and team join of the event would queue behind one another on it).
LOCK_OF = ("self",)


def busy(message: str = BUSY_MESSAGE) -> ApplicationError:
    """A new "busy, try again" error. Never a shared instance: each raise would add its
    frames to the one traceback and keep requests' frames alive under the very load it
    reports."""
    return ApplicationError(message, code="busy", status=503)


def lock_capacity_row(queryset, *, busy_message: str = BUSY_MESSAGE):
    """The one row of `queryset`, locked for update until the transaction ends; rows it
    joins (select_related) are read, not locked.

    Raises a "busy" ApplicationError (`busy_message`) when the lock is not had within
    CAPACITY_LOCK_TIMEOUT_MS, and the queryset's DoesNotExist when there is no such row.
    """
    with _bounded_wait(busy_message):
        return _for_update(queryset).get()


def lock_rows(queryset, *, busy_message: str = BUSY_MESSAGE) -> list:
    """Every row of `queryset`, locked as lock_capacity_row locks one."""
    with _bounded_wait(busy_message):
        return list(_for_update(queryset))


def _for_update(queryset):
    return queryset.select_for_update(of=LOCK_OF) if settings.CAPACITY_LOCKING else queryset


@contextmanager
def _bounded_wait(busy_message):
    if connection.vendor == "postgresql":
        timeout_ms = int(settings.CAPACITY_LOCK_TIMEOUT_MS)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{timeout_ms}ms'")
    try:
        yield
    except OperationalError as error:
        raise busy(busy_message) from error


def hold_race_window() -> None:
    # Test-only: widens the gap between reading a capacity and consuming it.
    if settings.CAPACITY_RACE_DELAY:
        time.sleep(settings.CAPACITY_RACE_DELAY)
