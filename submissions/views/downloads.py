"""Stored files of submissions leaving the site: always as attachments, through views that
checked permission first (the team's pages, the organisers' and judges', the gallery's,
and the API)."""

import logging

from django.http import Http404
from django.utils.cache import patch_cache_control

from common.files import attachment_response

logger = logging.getLogger(__name__)

# Whatever the file holds, the browser saves it rather than opening it.
DOWNLOAD_TYPE = "application/octet-stream"


def stored_file_download(field_file, filename: str):
    """`field_file` as an attachment named `filename` (404 when storage has lost it)."""
    try:
        fileobj = field_file.open("rb")
    except (OSError, ValueError):  # gone from storage (ValueError: no file at all)
        logger.warning("Submission file %s is missing from storage.", field_file.name)
        raise Http404("The file is missing.") from None
    response = attachment_response(fileobj, filename=filename, content_type=DOWNLOAD_TYPE)
    patch_cache_control(response, private=True)  # a team's work: no shared cache keeps it
    return response
