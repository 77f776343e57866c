import json

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.privacy import personal_data_erasers
from common.models import AuditEntry, OutboxMessage
from events.enums import RoleKind
from events.models import EventRole
from tests.factories import PASSWORD, EventRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_sends_verification_through_outbox(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "New.Person@Example.org",
                "display_name": "New Person",
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
            },
        )

    assert response.status_code == 302
    user = User.objects.get(email__iexact="new.person@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert OutboxMessage.objects.filter(recipient__iexact=user.email).count() == 1
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_login_unverified_email_is_held_at_verification(client):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_repeated_failures(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_login_claims_role_invitation_for_verified_email(client):
    user = UserFactory()
    invitation = EventRoleFactory(user=None, email=user.email, role=RoleKind.JUDGE)

    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    invitation.refresh_from_db()
    assert invitation.user == user
    assert invitation.accepted_at is not None


def test_profile_form_saves_fields_and_skills(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "Carol B",
            "organisation": "Round 'Ere",
            "participant_type": "community_researcher",
            "skills": ["1", "2"],
            "bio": "Widnes.",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.participant_type) == ("Carol B", "community_researcher")
    assert user.skills.count() == 2


def test_data_export_holds_profile_and_roles(client):
    role = EventRoleFactory(role=RoleKind.MENTOR)
    client.force_login(role.user)

    response = client.get("/accounts/my-data/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == role.user.email
    assert data["event_roles"] == [
        {
            "event": role.event.name,
            "role": "mentor",
            "email": role.user.email,
            "accepted_at": role.accepted_at.isoformat(),
        }
    ]


def test_account_delete_erases_person_and_keeps_anonymous_audit(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    EventRoleFactory(event=role.event, role=RoleKind.ORGANISER)
    user = role.user
    AuditEntry.objects.create(
        actor=user, action="event.updated", target_type_id=1, target_id="1", target_repr="x"
    )
    client.force_login(user)

    response = client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EventRole.objects.filter(email=user.email).exists()
    assert AuditEntry.objects.filter(action="event.updated", actor__isnull=True).count() == 1
    deletion = AuditEntry.objects.get(action="account.deleted")
    assert user.email not in deletion.target_repr
    erasers = [key for key, _ in personal_data_erasers.items()]
    assert deletion.data["erased_by"] == erasers
    assert erasers[-1] == "account"  # the account's own rows go last


def test_account_delete_with_wrong_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/accounts/delete/", {"password": "not-it"})

    assert response.status_code == 200
    assert b"That is not your password." in response.content
    assert User.objects.filter(pk=user.pk).exists()


def test_account_emails_name_the_site(client, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].body.startswith("Hello from CivicHack!")
    assert "Thank you for using CivicHack!" in mailoutbox[0].body
    assert mailoutbox[0].subject.startswith("[CivicHack] ")
