import copy


class FieldsBuiltOnceMixin:
    """Build a ModelSerializer's fields once per class, then copy them per instance.

    ModelSerializer introspects the model on every instantiation, which costs more than
    the rest of serialising one object. Use only where `get_fields` does not depend on
    the instance or context (per-request adjustments belong in __init__, after it).
    """

    def get_fields(self):
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return {name: _copy_unbound(field) for name, field in cls._built_fields.items()}


def _copy_unbound(field):
    # A flat field's per-instance state is set by bind(), so a shallow copy of the
    # unbound original is enough; fields holding other fields need a deep copy.
    if hasattr(field, "child") or hasattr(field, "child_relation") or hasattr(field, "fields"):
        return copy.deepcopy(field)
    return copy.copy(field)
