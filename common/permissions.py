"""One DRF permission class for every API view, backed by the `rules` predicates.

Each view names, per action (viewsets) or per lower-case HTTP method (other views), the
permission to check in `permission_rules`:

    permission_rules = {"list": ALLOW_ANY, "partial_update": "events.change_event"}

An action without an entry is denied. For actions without an object (list, create)
the permission is checked against `view.get_permission_target()` (the parent event of
nested routes, else None); for detail actions it is also checked against the object.

Permissions are tested against the rules alone, not Django's auth backends, which grant
a superuser everything: a rule that should not favour superusers (judging) can say so.
"""

import rules
from rest_framework.permissions import BasePermission

ALLOW_ANY = object()
# Permissions an anonymous visitor can hold (on something public, such as a published
# event), so the API schema documents what they guard as open to all.
PUBLIC_RULES: set[str] = set()


def add_public_perm(name: str, predicate) -> None:
    """`rules.add_perm`, for a permission that anonymous visitors can hold."""
    rules.add_perm(name, predicate)
    PUBLIC_RULES.add(name)


class RulePermission(BasePermission):
    def _rule(self, request, view):
        # Viewsets are keyed by action, plain API views by lower-case HTTP method.
        action = getattr(view, "action", None) or request.method.lower()
        return getattr(view, "permission_rules", {}).get(action)

    def has_permission(self, request, view):
        if not hasattr(view, request.method.lower()):
            return True  # no handler: the view answers 405 and runs nothing
        rule = self._rule(request, view)
        if rule is None:
            return False
        if rule is ALLOW_ANY:
            return True
        get_target = getattr(view, "get_permission_target", None)
        target = get_target() if get_target else None
        if target is None and getattr(view, "detail", False):
            return True  # decided per object in has_object_permission
        return rules.has_perm(rule, request.user, target)

    def has_object_permission(self, request, view, obj):
        rule = self._rule(request, view)
        if rule is None:
            return False
        return rule is ALLOW_ANY or rules.has_perm(rule, request.user, obj)
