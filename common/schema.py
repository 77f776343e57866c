"""OpenAPI: every operation documents the error responses it can give, in our shape,
and whether it can be called without signing in."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from common.permissions import ALLOW_ANY, PUBLIC_RULES


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable name, e.g. not_found.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    details = serializers.DictField(
        help_text="Per field (or rule), the list of problems; empty when there are none."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    "400": "The input is invalid or breaks a rule; details name the fields.",
    "401": "Not signed in: send a session cookie or `Authorization: Token <key>`.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object, or not visible to you.",
    "409": "The request conflicts with the object's current state (e.g. a status that "
    "cannot follow the present one); nothing was changed.",
    "413": "The request body is larger than the server accepts.",
    "429": "Too many requests: wait the seconds in the Retry-After header.",
    "503": "Busy: the seats or places this changes were locked for too long; try again.",
}
PAGE_NOT_FOUND = "No such page of results, or no such object visible to you."
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def error_responses(*, conflict=(), busy=()):
    """Declare on a view which of its actions (viewsets) or lower-case methods (other
    views) can answer 409 (`conflict`) and 503 (`busy`, a capacity lock not had in
    time), for the schema; "*" names every write."""

    def declare(view):
        view.conflict_actions = _names(conflict)
        view.busy_actions = _names(busy)
        return view

    return declare


def _names(actions) -> frozenset:
    return frozenset([actions] if isinstance(actions, str) else actions)


class ErrorAwareAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, description in self._error_codes(operation).items():
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code)
                responses[code] = {**body, "description": description}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation) -> dict[str, str]:
        codes = {}
        queried = any(p["in"] == "query" for p in operation.get("parameters", ()))
        # Bad input: a body, or a filter value that is none of its choices.
        if self.method in ("POST", "PUT", "PATCH") or queried:
            codes["400"] = ERROR_DESCRIPTIONS["400"]
        codes["401"], codes["403"] = ERROR_DESCRIPTIONS["401"], ERROR_DESCRIPTIONS["403"]
        if self.method == "GET" and self._is_list_view() and self._get_paginator():
            codes["404"] = PAGE_NOT_FOUND  # ?page= past the last page
        elif "{" in self.path:
            codes["404"] = ERROR_DESCRIPTIONS["404"]
        if self.method in WRITES:
            action = self._action()
            for code, declared in (("409", "conflict_actions"), ("503", "busy_actions")):
                actions = getattr(self.view, declared, ())
                if "*" in actions or action in actions:
                    codes[code] = ERROR_DESCRIPTIONS[code]
            if self.method != "DELETE":
                codes["413"] = ERROR_DESCRIPTIONS["413"]
        codes["429"] = ERROR_DESCRIPTIONS["429"]  # every API view is throttled
        return codes

    def _action(self) -> str:
        return getattr(self.view, "action", None) or self.method.lower()

    def get_auth(self):
        """Operations whose rule an anonymous visitor can pass (published events and what
        is under them) are documented as needing no authentication, as an option."""
        auths = super().get_auth()
        rule = getattr(self.view, "permission_rules", {}).get(self._action())
        if (rule is ALLOW_ANY or rule in PUBLIC_RULES) and {} not in auths:
            auths.append({})
        return auths
