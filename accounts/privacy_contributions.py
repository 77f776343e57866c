from allauth.account.models import EmailAddress
from knox.models import AuthToken

from accounts.models import ApiToken
from accounts.privacy import personal_data_erasers, personal_data_exporters
from common.models import AuditEntry, EmailSuppression, OutboxMessage


@personal_data_exporters.register("account", order=0)
def export_account(user):
    return {
        "email": user.email,
        "display_name": user.display_name,
        "organisation": user.organisation,
        "participant_type": user.participant_type,
        "skills": [skill.name for skill in user.skills.all()],
        "bio": user.bio,
        "date_joined": user.date_joined.isoformat(),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "optional_email_stopped_at": next(
            (s.created_at.isoformat() for s in EmailSuppression.objects.filter(user=user)), None
        ),
        "emails_sent": [
            {
                "subject": message.subject,
                "purpose": message.purpose,
                "queued_at": message.queued_at.isoformat(),
                "status": message.status,
            }
            for message in OutboxMessage.objects.filter(recipient__in=_addresses(user))
        ],
    }


@personal_data_erasers.register("account", order=1000)
def erase_account(user):
    # The user row itself is deleted by the caller (taking their EmailSuppression with it);
    # these rows name the person too.
    OutboxMessage.objects.filter(recipient__in=_addresses(user)).delete()
    AuditEntry.objects.filter(actor=user).update(actor=None)


def _addresses(user):
    return {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}


@personal_data_exporters.register("api_tokens", order=1)
def export_api_tokens(user):
    # Names and dates only: the keys are not stored, and their digests are not data
    # about the person.
    return [
        {
            "name": token.name,
            "created": token.auth_token.created.isoformat(),
            "expires": token.auth_token.expiry.isoformat(),
        }
        for token in ApiToken.objects.filter(auth_token__user=user).select_related("auth_token")
    ]


@personal_data_erasers.register("api_tokens", order=999)
def erase_api_tokens(user):
    AuthToken.objects.filter(user=user).delete()
