"""The texts people accept when they register or walk in: the code of conduct, the
privacy notice and the photography notice.

Each text is a template, templates/legal/<kind>/<version>.html, written once and never
changed: a new wording is a new version. REGISTRATION_CONSENT_VERSIONS names the current
version of each; a consent stores it, and /<page>/<version>/ shows what was agreed to.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

from registration.enums import ConsentKind

# Where each text is published.
PAGES = {
    ConsentKind.CODE_OF_CONDUCT: "code-of-conduct",
    ConsentKind.PRIVACY: "privacy",
    ConsentKind.PHOTOGRAPHY: "photography",
}
VERSION_PATTERN = r"[0-9]{4}-[0-9]{2}"  # a year and month, e.g. 2026-12


def text_template(kind, version) -> str:
    return f"legal/{kind}/{version}.html"


def text_url(kind, version=None) -> str:
    """The page of `kind`'s text at `version` (by default the current one)."""
    version = version or settings.REGISTRATION_CONSENT_VERSIONS[kind]
    return reverse(f"legal_{kind}_version", kwargs={"version": version})


def consent_texts() -> list[dict]:
    """Each consent kind's name and the page of the text it accepts, as now current."""
    return [{"label": kind.label, "url": text_url(kind)} for kind in ConsentKind]


def legal_text(request, kind, version=None):
    """A text at `version`, or the current one; a version never published answers 404."""
    current = settings.REGISTRATION_CONSENT_VERSIONS[kind]
    version = version or current
    try:
        get_template(text_template(kind, version))
    except TemplateDoesNotExist:
        raise Http404(f"There is no version {version} of the {ConsentKind(kind).label}.") from None
    context = {
        "title": ConsentKind(kind).label,
        "version": version,
        "current": current,
        "current_url": reverse(f"legal_{kind}"),
        "text_template": text_template(kind, version),
    }
    return render(request, "legal/page.html", context)
