"""The API's documentation page (/api/docs/) and the groups its endpoints are shown in.

drf-spectacular would tag every operation by its path's first segment, which puts nearly
everything under "events"; the hook below groups operations by what they are for, the
groups described in SPECTACULAR_SETTINGS["TAGS"].
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

PREFIX = "/api/v1/"
# The segment after /api/v1/ → its group.
TOP_LEVEL_GROUPS = {
    "events": "Events",
    "registrations": "Registering",
    "team-requests": "Teams",
    "me": "Your account",
    "skills": "Your account",
    "datasets": "Datasets",
    "survey-links": "Feedback",
}
# The segment after /api/v1/events/{event_slug}/ → its group.
EVENT_GROUPS = {
    "themes": "Programme",
    "challenges": "Programme",
    "schedule": "Programme",
    "questions": "Registering",
    "register": "Registering",
    "registrations": "Registrations and the door",
    "messages": "Registrations and the door",
    "teams": "Teams",
    "board": "Teams",
    "matching-runs": "Teams",
    "help-requests": "Help queue",
    "submissions": "Submissions",
    "criteria": "Judging",
    "score-sheets": "Judging",
    "results": "Judging",
    "prizes": "Judging",
    "survey": "Feedback",
    "survey-questions": "Feedback",
}


def group_of(path: str) -> str | None:
    """The group of the operations at `path`, or None for a path no group claims."""
    parts = path.removeprefix(PREFIX).split("/")
    if parts[0] == "events" and len(parts) > 2 and parts[1] == "{event_slug}":
        return EVENT_GROUPS.get(parts[2])
    return TOP_LEVEL_GROUPS.get(parts[0])


def group_operations(result, generator, request, public):
    """drf-spectacular post-processing hook: tag each operation with its group (an
    unclaimed path keeps drf-spectacular's tag, and tests/test_api_schema.py says so)."""
    for path, operations in result.get("paths", {}).items():
        group = group_of(path)
        if group is None:
            continue
        for operation in operations.values():
            operation["tags"] = [group]
    return result


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI inside the site's layout, its start-up script loaded from a URL (not
    inline) so the Content-Security-Policy holds; the page also lists the groups, so it
    says what the API offers without JavaScript."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response.data["groups"] = settings.SPECTACULAR_SETTINGS["TAGS"]
        return response
