"""The roles of the authorization matrix: each signs a test client in as someone.

A role is a function `f(world) -> django.test.Client`, registered with one line:

    @role
    def participant(world):
        return client_for(RegistrationFactory(event=world.a.event).user)

The function's name is the role's name. A role may use the people in `world.people`
or create its holder from the world's objects, as above. Every matrix row must then
say what that role gets (test_matrix_rows_cover_every_role fails until it does), so a
new role forces one decision per route.
"""

from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.test import Client

from tests.security.world import World

Role = Callable[[World], Client]
ROLES: dict[str, Role] = {}


def role(func: Role) -> Role:
    """Register `func` as the role named after it."""
    if func.__name__ in ROLES:
        raise ValueError(f"The role {func.__name__!r} is already registered.")
    ROLES[func.__name__] = func
    return func


# Session keys of the world's people, signed in once when the world is built
# (`signed_in_once`). Their sessions are rows made before any test's savepoint, so they
# outlive each test as the world does; a role's client needs only the cookie. Signing in
# afresh for each of the matrix's 11,000 cases took a quarter of its time.
_SESSIONS: dict[int, str] = {}


@contextmanager
def signed_in_once(people):
    """While open, `client_for` any of `people` reuses one session made here."""
    for person in people:
        client = Client()
        client.force_login(person)
        _SESSIONS[person.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    try:
        yield
    finally:
        _SESSIONS.clear()


def client_for(person) -> Client:
    client = Client()
    if person.pk in _SESSIONS:
        client.cookies[settings.SESSION_COOKIE_NAME] = _SESSIONS[person.pk]
    else:
        client.force_login(person)
    return client


@role
def anonymous(world: World) -> Client:
    return Client()


@role
def user(world: World) -> Client:
    """Signed in, with no role in any event."""
    return client_for(world.people["user"])


@role
def judge(world: World) -> Client:
    """An accepted judge of event A, and nothing else."""
    return client_for(world.people["judge"])


@role
def assigned_judge(world: World) -> Client:
    """An accepted judge of event A, on its room's panel, assigned to score A1's entry."""
    return client_for(world.people["assigned_judge"])


@role
def conflicted_judge(world: World) -> Client:
    """An accepted judge of event A assigned to A1's entry, who then declared a conflict
    with team A1: judging must refuse them that entry."""
    return client_for(world.people["conflicted_judge"])


@role
def other_organiser(world: World) -> Client:
    """Organiser of event B only."""
    return client_for(world.people["other_organiser"])


@role
def organiser(world: World) -> Client:
    """Organiser of event A and of draft event D."""
    return client_for(world.people["organiser"])


@role
def superuser(world: World) -> Client:
    return client_for(world.people["superuser"])


@role
def participant(world: World) -> Client:
    """Registered (confirmed) for event A, with no other role."""
    return client_for(world.people["participant"])


@role
def volunteer(world: World) -> Client:
    """Volunteer at event A: runs its door, nothing else."""
    return client_for(world.people["volunteer"])


@role
def mentor(world: World) -> Client:
    """Mentor at event A: sees its teams and help queue, nothing of its running."""
    return client_for(world.people["mentor"])


@role
def team_lead(world: World) -> Client:
    """Taking part in A and leading team A1."""
    return client_for(world.people["team_lead"])


@role
def team_member(world: World) -> Client:
    """Taking part in A, a member (not the lead) of team A1."""
    return client_for(world.people["team_member"])


@role
def catalogue_editor(world: World) -> Client:
    """In the "Catalogue editors" group: keeps the shared catalogue; no role in any event."""
    return client_for(world.people["catalogue_editor"])
