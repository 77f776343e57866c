"""Files through the API: uploads (whose fields are checked, and a file over the upload
cap named) and downloads (attachments, as the team's pages send them)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from common.files import refused_uploads, upload_cap_message


class DownloadRenderer(BaseRenderer):
    """Lets a client ask for the file's bytes; only an error is rendered here, as JSON."""

    media_type = "application/octet-stream"
    format = "download"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


DOWNLOAD = {
    (200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The file, as an attachment."
    )
}


def upload_fields(request, serializer_class) -> dict:
    """An upload's fields, validated. A file over the upload cap was dropped while it
    arrived (common.files), which only the parsed request's Django side notes: its field
    is then missing, so say why."""
    payload = serializer_class(data=request.data)
    if "file" in refused_uploads(request._request):
        raise ValidationError({"file": [upload_cap_message()]})
    payload.is_valid(raise_exception=True)
    return payload.validated_data
