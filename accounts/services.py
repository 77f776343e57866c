from django.db import transaction

from accounts.models import User
from accounts.privacy import personal_data_erase
from common.audit import audit_record
from common.exceptions import ApplicationError
from common.services import model_update

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
