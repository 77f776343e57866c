import pytest
from django.db import OperationalError

from common.exceptions import ApplicationError
from common.locking import lock_capacity_row

pytestmark = pytest.mark.django_db  # on PostgreSQL the lock's wait is set first


class _LockNotHad:
    """A queryset whose lock times out, as PostgreSQL's lock_timeout makes it."""

    def select_for_update(self, **kwargs):
        return self

    def get(self):
        raise OperationalError("canceling statement due to lock timeout")


def _busy_raised():
    try:
        lock_capacity_row(_LockNotHad())
    except ApplicationError as error:
        return error
    raise AssertionError("not busy")


def _depth(traceback):
    depth = 0
    while traceback is not None:
        depth, traceback = depth + 1, traceback.tb_next
    return depth


def test_busy_is_a_new_error_each_time_with_its_own_short_traceback():
    first, second = _busy_raised(), _busy_raised()

    assert first is not second
    assert (first.code, first.status) == ("busy", 503)
    # Only the frames between this test and the raise, not those of every earlier raise.
    assert _depth(first.__traceback__) == _depth(second.__traceback__) <= 4
