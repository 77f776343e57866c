from django.contrib.contenttypes.models import ContentType

from common.models import AuditEntry


def audit_record(*, actor, action, target, data=None, target_repr=None) -> AuditEntry:
    """Record that `actor` (a user, or None for the system) did `action` to `target`."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=(target_repr or str(target))[:200],
        data=data or {},
    )
