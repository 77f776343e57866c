"""Catalogue editors' pages under /catalogue/: datasets, publishers, terms (resources are
in editor_resources).

Every page needs a catalogue editor (datasets.rules): anyone else signed in is refused
with 403, as creating an event is; an unknown dataset, resource or publisher answers 404.
"""

from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from common.views import act_and_report, apply_form, confirm_page, is_confirmed
from datasets.extensions import editor_pages
from datasets.forms import (
    DatasetForm,
    PublisherForm,
    TermsForm,
)
from datasets.models import Dataset, Publisher
from datasets.selectors.editing import catalogue_for_editors, dataset_for_editors
from datasets.services import catalogue


def editor_only(permission: str):
    """Signed in (else the sign-in page), then `permission` (else 403)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rules.has_perm(permission, request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def form_page(
    request,
    form,
    *,
    title,
    button,
    back,
    caption="",
    multipart=False,
    lines=(),
    dataset=None,
    links=(),
):
    context = {
        "dataset": dataset,
        "links": links,
        "form": form,
        "title": title,
        "button": button,
        "back": back,
        "caption": caption,
        "multipart": multipart,
        "lines": lines,
    }
    return render(request, "datasets/editor/form.html", context)


def dataset_or_404(slug) -> Dataset:
    return get_object_or_404(Dataset.objects.select_related("publisher", "licence"), slug=slug)


def dataset_url(dataset) -> str:
    return reverse("datasets:editor_dataset", kwargs={"slug": dataset.slug})


def _publisher_link():
    return [("Publisher not listed? Add it first", reverse("datasets:editor_publisher_create"))]


# --- Datasets ------------------------------------------------------------------------


@editor_only("datasets.change_dataset")
def home(request):
    context = {
        "datasets": catalogue_for_editors(),
        "can_add": rules.has_perm("datasets.add_dataset", request.user),
        "further_pages": [
            {"title": page.title, "url": reverse(page.url_name)}
            for page in editor_pages
            if rules.has_perm(page.permission, request.user)
        ],
    }
    return render(request, "datasets/editor/home.html", context)


@editor_only("datasets.add_dataset")
def dataset_create(request):
    form = DatasetForm(request.POST or None)
    created = {}

    def save():
        created["dataset"] = catalogue.dataset_create(actor=request.user, **form.service_fields())

    if request.method == "POST" and apply_form(form, save):
        messages.success(request, "Dataset created, not yet published. Add its files next.")
        return redirect(dataset_url(created["dataset"]))
    return form_page(
        request,
        form,
        title="Add a dataset",
        button="Create dataset",
        back=reverse("datasets:editor_home"),
        caption="Catalogue",
        links=_publisher_link(),
    )


@editor_only("datasets.change_dataset")
def dataset_detail(request, slug):
    try:
        dataset = dataset_for_editors(slug=slug)
    except Dataset.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "datasets/editor/dataset.html", {"dataset": dataset})


@editor_only("datasets.change_dataset")
def dataset_edit(request, slug):
    dataset = dataset_or_404(slug)
    # The form writes onto its own copy, so the service sees what actually changed.
    form = DatasetForm(request.POST or None, instance=dataset_or_404(slug))
    if request.method == "POST" and apply_form(
        form,
        lambda: catalogue.dataset_update(
            actor=request.user, dataset=dataset, **form.service_fields()
        ),
    ):
        messages.success(request, "Dataset saved.")
        return redirect(dataset_url(dataset))
    return form_page(
        request,
        form,
        title=f"Edit “{dataset}”",
        button="Save dataset",
        back=dataset_url(dataset),
        caption="Catalogue",
        dataset=dataset,
        links=_publisher_link(),
    )


@editor_only("datasets.change_dataset")
def dataset_publish(request, slug):
    dataset = dataset_or_404(slug)
    back = dataset_url(dataset)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Publish “{dataset}”?",
            lines=(
                "Its description is then public, in the catalogue, its API and its DCAT "
                "export, and events can feature it.",
                f"Its data are open to: {dataset.get_access_level_display().lower()}.",
            ),
            button="Yes, publish it",
            back=back,
            destructive=False,
        )
    act_and_report(
        request,
        lambda: catalogue.dataset_publish(actor=request.user, dataset=dataset),
        done=f"“{dataset}” is published.",
    )
    return redirect(back)


@editor_only("datasets.change_dataset")
def dataset_unpublish(request, slug):
    dataset = dataset_or_404(slug)
    back = dataset_url(dataset)
    if not is_confirmed(request):
        events = sorted(dataset.features.values_list("event__name", flat=True))
        lines = ["Only catalogue editors will see it; its pages and downloads stop working."]
        if events:
            lines.append(f"It stops showing on the events that feature it: {', '.join(events)}.")
        return confirm_page(
            request,
            title=f"Unpublish “{dataset}”?",
            lines=lines,
            button="Yes, unpublish it",
            back=back,
        )
    act_and_report(
        request,
        lambda: catalogue.dataset_unpublish(actor=request.user, dataset=dataset),
        done=f"“{dataset}” is unpublished.",
    )
    return redirect(back)


@editor_only("datasets.delete_dataset")
def dataset_delete(request, slug):
    dataset = dataset_or_404(slug)
    back = dataset_url(dataset)
    refusal = catalogue.dataset_delete_refusal(dataset)
    if refusal:  # said before asking, rather than after
        messages.error(request, refusal)
        return redirect(back)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Delete “{dataset}”?",
            lines=(
                "The dataset, its files, profiles and terms are deleted for good; this "
                "cannot be undone.",
            ),
            button="Yes, delete it",
            back=back,
        )
    if act_and_report(
        request,
        lambda: catalogue.dataset_delete(actor=request.user, dataset=dataset),
        done=f"“{dataset}” is deleted.",
    ):
        return redirect("datasets:editor_home")
    return redirect(back)


@editor_only("datasets.change_dataset")
def terms(request, slug):
    dataset = dataset_or_404(slug)
    form = TermsForm(request.POST or None)
    if request.method == "POST" and apply_form(
        form,
        lambda: catalogue.terms_publish(
            actor=request.user, dataset=dataset, text=form.cleaned_data["text"]
        ),
    ):
        messages.success(request, "New terms published.")
        return redirect(dataset_url(dataset))
    versions = dataset.terms.all()
    if request.method == "GET" and versions:
        form.initial["text"] = versions[0].text  # newest first: start from its wording
    context = {"dataset": dataset, "form": form, "versions": versions}
    return render(request, "datasets/editor/terms.html", context)


# --- Publishers ---------------------------------------------------------------------------


@editor_only("datasets.change_dataset")
def publishers(request):
    return render(
        request, "datasets/editor/publishers.html", {"publishers": Publisher.objects.all()}
    )


@editor_only("datasets.change_dataset")
def publisher_create(request):
    form = PublisherForm(request.POST or None)
    if request.method == "POST" and apply_form(
        form, lambda: catalogue.publisher_create(actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, f"Publisher “{form.cleaned_data['name']}” added.")
        return redirect("datasets:editor_publishers")
    return form_page(
        request,
        form,
        title="Add a publisher",
        button="Add publisher",
        back=reverse("datasets:editor_publishers"),
        caption="Catalogue",
    )


@editor_only("datasets.change_dataset")
def publisher_edit(request, slug):
    publisher = get_object_or_404(Publisher, slug=slug)
    form = PublisherForm(request.POST or None, instance=Publisher.objects.get(pk=publisher.pk))
    if request.method == "POST" and apply_form(
        form,
        lambda: catalogue.publisher_update(
            actor=request.user, publisher=publisher, **form.cleaned_data
        ),
    ):
        messages.success(request, "Publisher saved.")
        return redirect("datasets:editor_publishers")
    return form_page(
        request,
        form,
        title=f"Edit “{publisher}”",
        button="Save publisher",
        back=reverse("datasets:editor_publishers"),
        caption="Catalogue",
    )
