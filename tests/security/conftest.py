import pytest

from tests.conftest import kept_for_the_module
from tests.security.roles import signed_in_once
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    """One world per test module (and xdist worker), kept for the module's tests."""
    with kept_for_the_module(django_db_blocker):
        world = build_world()
        with signed_in_once(world.people.values()):
            yield world


@pytest.fixture
def world(_shared_world, db) -> World:
    """Events A (published), B (another organiser's) and D (draft), and the role holders."""
    return _shared_world
