import pytest

from tests.security.world import World, build_world


@pytest.fixture
def world(db) -> World:
    """Events A (published), B (another organiser's) and D (draft), and the role holders."""
    return build_world()
