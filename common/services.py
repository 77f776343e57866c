from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from common.audit import audit_record
from common.exceptions import ApplicationError, raise_problems

MAX_NAMED_HOLDERS = 5


def reject_unknown_fields(fields, allowed) -> None:
    """Raise ApplicationError naming every field in `fields` not in `allowed`."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(
            f"These fields cannot be changed here: {', '.join(sorted(unknown))}.",
            details={name: ["This field cannot be changed here."] for name in sorted(unknown)},
        )


def model_update(*, instance, fields: dict, allowed) -> list[str]:
    """Set `fields` on `instance`, validate, and save only what changed.

    Returns the names of the changed fields. Unknown names raise ApplicationError.
    """
    reject_unknown_fields(fields, allowed)
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed:
        instance.full_clean()
        instance.save(update_fields=[*changed, *_auto_now_fields(instance)])
    return changed


def _auto_now_fields(instance):
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]


def full_clean_or_raise(instance, *, problems=None, validate_constraints=True) -> None:
    """`instance.full_clean()`, its problems raised as one ApplicationError naming each
    field, for services whose callers have no form to show a ValidationError on.

    `problems` (field: reasons) are those the caller found first, raised with the
    instance's own; a caller that words its model's check constraints itself, field by
    field, passes validate_constraints=False so they are not reported twice."""
    found = {field: list(reasons) for field, reasons in (problems or {}).items()}
    try:
        instance.full_clean(validate_constraints=validate_constraints)
    except ValidationError as error:
        for field, reasons in error.message_dict.items():
            found.setdefault(field, []).extend(reasons)
    raise_problems(found, label=_field_label)


def _field_label(field) -> str:
    return "" if field == NON_FIELD_ERRORS else field.replace("_", " ").capitalize()


def audited_create(model, *, actor, action, **fields):
    """Create a `model` from `fields`, validated, and record `action` by `actor`.

    A row that breaks a uniqueness rule after validation passed (two at once) answers
    "duplicate" rather than an error page.
    """
    instance = model(**fields)
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ApplicationError(
            "Something with the same name already exists here.", code="duplicate"
        ) from error
    audit_record(actor=actor, action=action, target=instance)
    return instance


def audited_update(instance, *, actor, action, allowed, fields):
    """`model_update`, with `action` recorded when anything changed."""
    changed = model_update(instance=instance, fields=fields, allowed=allowed)
    if changed:
        audit_record(actor=actor, action=action, target=instance, data={"changed": changed})
    return instance


def delete_or_refuse(instance, *, what: str) -> None:
    """Delete `instance`, or refuse naming what still holds it: rows of later apps that
    protect it (on_delete=PROTECT), which this app cannot know of."""
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as error:
        holders = sorted(
            {f"{held._meta.verbose_name} “{held}”" for held in error.protected_objects}
        )
        named = ", ".join(holders[:MAX_NAMED_HOLDERS])
        if len(holders) > MAX_NAMED_HOLDERS:
            named += f" and {len(holders) - MAX_NAMED_HOLDERS} more"
        raise ApplicationError(
            f"{what} is still used by {named}; change or delete those first.", code="in_use"
        ) from error
