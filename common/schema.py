"""OpenAPI: every operation documents the error responses it can give, in our shape."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


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
    "429": "Too many requests: wait the seconds in the Retry-After header.",
}


class ErrorAwareAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "403"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.insert(0, "400")
        if "{" in self.path:
            codes.append("404")
        codes.append("429")  # every API view is throttled (common.throttling)
        for code in codes:
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code] = {**body, "description": ERROR_DESCRIPTIONS[code]}
        return responses
