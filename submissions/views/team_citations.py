"""The datasets a team cites: choose one (the event's featured datasets first, or a
search of the catalogue), say which of its files and how it was used; edit; remove.

Choosing works without JavaScript in two steps: the dataset is chosen by a GET form
(`?dataset=<slug>`), then the citation's form posts to that same address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path

from common.views import act_and_report, apply_form, confirm_page, is_confirmed
from datasets.selectors.featured import featured_datasets
from datasets.selectors.search import catalogue_search, datasets_visible_to
from submissions.forms import CitationForm, DatasetChoiceForm, DatasetSearchForm
from submissions.services import citations as citation_services
from submissions.views.team_access import entry_url, form_page, open_entry, team_citation

# Search results offered at once; a narrower search finds the rest.
SEARCH_RESULTS = 20


@login_required
def citation_add(request, slug):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    if "dataset" in request.GET:
        dataset = datasets_visible_to(request.user).filter(slug=request.GET["dataset"]).first()
        if dataset is not None:
            return _citation_form(request, entry, dataset)
    return _dataset_choice(request, entry, refused="dataset" in request.GET)


def _dataset_choice(request, entry, *, refused: bool):
    """Step one: the event's featured datasets, or what a search of the catalogue found,
    less those already cited."""
    search_form = DatasetSearchForm(request.GET)
    q = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    cited = entry.submission.citations.values("dataset_id")
    if q:
        datasets = catalogue_search(user=request.user, q=q).datasets.exclude(pk__in=cited)
        legend = f"Datasets matching “{q}”"
        datasets = datasets[:SEARCH_RESULTS]
    else:
        featured = [
            feature.dataset.pk
            for group in featured_datasets(entry.event)
            for feature in group.features
        ]
        datasets = (
            datasets_visible_to(request.user)
            .filter(pk__in=featured)
            .exclude(pk__in=cited)
            .order_by("title", "pk")
        )
        legend = f"Datasets featured for {entry.event.name}"
    # Bound only when a choice was refused (unknown, or not one the person may cite), so
    # the form says why.
    choice_form = DatasetChoiceForm(
        request.GET if refused else None, datasets=datasets, legend=legend
    )
    choice_form.is_valid()
    context = {
        "event": entry.event,
        "submission": entry.submission,
        "search_form": search_form if q else DatasetSearchForm(),
        "choice_form": choice_form,
        "has_choices": datasets.exists(),
        "q": q,
    }
    return render(
        request, "submissions/team/cite_choose.html", context, status=400 if refused else 200
    )


def _citation_form(request, entry, dataset):
    """Step two: which of the dataset's files, and how it was used."""
    form = CitationForm(request.POST or None, dataset=dataset)
    if request.method == "POST" and apply_form(
        form,
        lambda: citation_services.citation_add(
            actor=request.user,
            submission=entry.submission,
            dataset=dataset,
            resource=form.cleaned_data["resource"],
            how_used=form.cleaned_data["how_used"],
        ),
    ):
        messages.success(request, f"“{dataset}” is cited.")
        return redirect(entry_url(entry.event))
    return form_page(
        request,
        form,
        event=entry.event,
        title=f"How you used “{dataset}”",
        button="Cite this dataset",
        back=entry_url(entry.event),
    )


@login_required
def citation_edit(request, slug, pk):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    citation = team_citation(entry, pk)
    form = CitationForm(
        request.POST or None,
        dataset=citation.dataset,
        initial={"resource": citation.resource_id, "how_used": citation.how_used},
    )
    if request.method == "POST" and apply_form(
        form,
        lambda: citation_services.citation_update(
            actor=request.user,
            citation=citation,
            resource=form.cleaned_data["resource"],
            how_used=form.cleaned_data["how_used"],
        ),
    ):
        messages.success(request, "Saved.")
        return redirect(entry_url(entry.event))
    return form_page(
        request,
        form,
        event=entry.event,
        title=f"How you used “{citation.dataset}”",
        button="Save",
        back=entry_url(entry.event),
    )


@login_required
def citation_remove(request, slug, pk):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    citation = team_citation(entry, pk)
    back = entry_url(entry.event)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Stop citing “{citation.dataset}”?",
            lines=("What you wrote about how you used it is deleted too.",),
            button="Yes, remove it",
            back=back,
        )
    act_and_report(
        request,
        lambda: citation_services.citation_remove(actor=request.user, citation=citation),
        done=f"“{citation.dataset}” is no longer cited.",
    )
    return redirect(back)


ENTRY = "events/<slug:slug>/submission/datasets/"

urlpatterns = [
    path(f"{ENTRY}add/", citation_add, name="submission_citation_add"),
    path(f"{ENTRY}<int:pk>/edit/", citation_edit, name="submission_citation_edit"),
    path(f"{ENTRY}<int:pk>/remove/", citation_remove, name="submission_citation_remove"),
]
