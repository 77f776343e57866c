from datetime import timedelta

from django.conf import settings
from django.db import transaction
from knox.models import AuthToken

from accounts.models import ApiToken, User
from accounts.privacy import personal_data_erase
from accounts.selectors import api_tokens_of
from common.audit import audit_record
from common.exceptions import ApplicationError, raise_problems
from common.services import full_clean_or_raise, model_update

PROFILE_FIELDS = ("display_name", "organisation", "participant_type", "bio")


@transaction.atomic
def profile_update(*, user: User, skills=None, **fields) -> User:
    """Change the profile fields named in PROFILE_FIELDS and, if given, the skills."""
    model_update(instance=user, fields=fields, allowed=PROFILE_FIELDS)
    if skills is not None:
        user.skills.set(skills)
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase what every app holds about the person, then the account itself."""
    if user.is_superuser:
        raise ApplicationError(
            "A superuser account cannot delete itself; ask another administrator.",
            code="superuser",
            status=403,
        )
    erased_by = personal_data_erase(user=user)
    # The entry names the account by id only: anything more would be personal data.
    audit_record(
        actor=None,
        action="account.deleted",
        target=user,
        target_repr=f"account {user.pk}",
        data={"erased_by": erased_by},
    )
    user.delete()


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """Create a named token that expires in `days` (one of API_TOKEN_EXPIRY_DAYS).

    Returns the token and its key: the key is not stored (knox keeps its digest), so this
    is the only time anyone can see it.
    """
    name = (name or "").strip()
    problems = {}
    if not name:
        problems["name"] = ["Give the token a name, to tell where it is used."]
    if days not in settings.API_TOKEN_EXPIRY_DAYS:
        choices = ", ".join(str(d) for d in settings.API_TOKEN_EXPIRY_DAYS)
        problems["days"] = [f"Choose an expiry of {choices} days."]
    raise_problems(problems, label=lambda field: "Name" if field == "name" else "Expiry")
    # The person's row is the lock: two creations at once cannot pass the limit together.
    User.objects.select_for_update(of=("self",)).filter(pk=user.pk).first()
    if api_tokens_of(user).count() >= settings.API_TOKEN_LIMIT_PER_USER:
        raise ApplicationError(
            f"You already have {settings.API_TOKEN_LIMIT_PER_USER} tokens; "
            "revoke one you no longer use first.",
            code="token_limit",
        )
    auth_token, key = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
    token = ApiToken(auth_token=auth_token, name=name)
    full_clean_or_raise(token)
    token.save()
    audit_record(
        actor=user,
        action="api_token.created",
        target=token,
        data={"expires": auth_token.expiry.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """Revoke a token (its owner's own: pages find it with api_tokens_of)."""
    audit_record(actor=actor, action="api_token.revoked", target=token)
    token.auth_token.delete()
