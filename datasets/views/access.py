"""Getting the data and seeing who got it: downloads, accepting terms, the usage page."""

import logging

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.adapter import same_site_path
from common.exceptions import ApplicationError
from common.files import attachment_response
from datasets.enums import AccessLevel
from datasets.rules import has_accepted_current_terms
from datasets.selectors.search import dataset_get_visible, resource_get_visible
from datasets.selectors.usage import dataset_usage, usage_events
from datasets.services.access import download_record, terms_accept

logger = logging.getLogger(__name__)
DEFAULT_MEDIA_TYPE = "application/octet-stream"


@require_GET  # a HEAD or a POST must not count as a download
def resource_download(request, slug, resource_id):
    """A resource's file (or a redirect to its link), for those allowed its data; each
    download is counted."""
    dataset = dataset_get_visible(slug=slug, user=request.user)
    resource = resource_get_visible(dataset, resource_id, related=())
    if not rules.has_perm("datasets.download_resource", request.user, resource):
        return _not_allowed(request, dataset)
    if not resource.is_upload:
        download_record(resource=resource, user=request.user)
        return HttpResponseRedirect(resource.url)
    try:
        fileobj = resource.file.open("rb")
    except OSError:  # the file is gone from storage: say so, count nothing
        logger.warning("Resource %s: its file %s is missing.", resource.pk, resource.file.name)
        context = {"dataset": dataset, "resource": resource}
        return render(request, "datasets/file_missing.html", context, status=404)
    download_record(resource=resource, user=request.user)
    response = attachment_response(
        fileobj,
        filename=download_filename(resource),
        content_type=resource.media_type or DEFAULT_MEDIA_TYPE,
    )
    if dataset.access_level != AccessLevel.OPEN:
        patch_cache_control(response, private=True)  # no shared cache keeps guarded data
    return response


def download_filename(resource) -> str:
    """`<dataset slug>-<resource name>.<format>`: never the uploader's filename."""
    name = f"{resource.dataset.slug}-{slugify(resource.name) or 'resource'}"
    extension = slugify(resource.format).lower()
    return f"{name}.{extension}" if extension else name


def _not_allowed(request, dataset):
    """Send the person to what would let them have the data: signing in, then the terms."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if dataset.access_level == AccessLevel.RESTRICTED and dataset.terms.exists():
        terms = reverse("datasets:terms", args=[dataset.slug])
        return redirect(f"{terms}?{urlencode({'next': request.get_full_path()})}")
    raise PermissionDenied("You may not download this dataset's data.")


class TermsForm(forms.Form):
    accept = forms.BooleanField(
        label="I accept these terms",
        error_messages={"required": "Tick the box to accept the terms, or leave this page."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


@login_required
def terms(request, slug):
    """A restricted dataset's current terms, and accepting them."""
    dataset = dataset_get_visible(slug=slug, user=request.user)
    current = dataset.terms.order_by("-version").first()
    if dataset.access_level != AccessLevel.RESTRICTED or current is None:
        raise Http404("This dataset has no terms.")
    fallback = same_site_path(request.GET.get("next")) or dataset.get_absolute_url()
    # An empty POST is still a POST: the form must say what is missing.
    bound = request.POST if request.method == "POST" else None
    form = TermsForm(bound, initial={"version": current.version, "next": fallback})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            next_url = same_site_path(form.cleaned_data["next"]) or dataset.get_absolute_url()
            try:
                terms_accept(
                    user=request.user, dataset=dataset, version=form.cleaned_data["version"]
                )
            except ApplicationError as error:
                messages.error(request, error.message)
                form = TermsForm(initial={"version": current.version, "next": next_url})
                status = error.status
            else:
                messages.success(
                    request, f"You accepted the terms of {dataset.title}. You can now download it."
                )
                return redirect(next_url)
        else:
            status = 400
    context = {
        "dataset": dataset,
        "terms": current,
        "form": form,
        "accepted": has_accepted_current_terms(request.user, dataset),
    }
    return render(request, "datasets/terms.html", context, status=status)


@login_required
def usage(request, slug):
    """Who accepted the terms and who downloaded: everyone for catalogue editors; for an
    event's organisers, the people taking part in the event they choose."""
    dataset = dataset_get_visible(slug=slug, user=request.user)
    events, event = [], None
    if not rules.has_perm("datasets.see_dataset_usage", request.user, dataset):
        events = list(usage_events(dataset=dataset, user=request.user))
        if not events:
            raise PermissionDenied(
                "Only catalogue editors and the organisers of events featuring "
                "this dataset see who used it."
            )
        chosen = request.GET.get("event")
        event = next((e for e in events if e.slug == chosen), None) if chosen else events[0]
        if event is None or not rules.has_perm(
            "datasets.see_event_dataset_usage", request.user, event
        ):
            raise Http404("No such event.")
    context = {
        "dataset": dataset,
        "events": events,
        "event": event,
        "usage": dataset_usage(dataset=dataset, event=event),
    }
    return render(request, "datasets/usage.html", context)
