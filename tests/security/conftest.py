import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import FAST_PASSWORD_HASHERS
from tests.security.roles import signed_in_once
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    """One world per test module (and xdist worker), built inside a transaction that
    stays open while the module's tests run: each test's own transaction nests in it as
    a savepoint and is rolled back, so every test sees the world as built. The outer
    transaction is rolled back at the end, so nothing of it reaches other modules."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            with signed_in_once(world.people.values()):
                yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_shared_world, db) -> World:
    """Events A (published), B (another organiser's) and D (draft), and the role holders."""
    return _shared_world
