"""The catalogue's entries in earlier apps' registries: the featured datasets as an
organiser console part, the public event page's "Datasets" section, the dashboard's
"Catalogue" panel, and personal data (terms accepted, downloads)."""

from accounts.privacy import personal_data_erasers, personal_data_exporters
from datasets.forms import DatasetFeatureForm
from datasets.models import Dataset, DatasetFeature, Download, TermsAcceptance
from datasets.selectors.featured import featured_datasets, features_with_usage
from datasets.services import featuring
from events.extensions import (
    ConsolePart,
    Section,
    console_parts,
    dashboard_panels,
    event_page_sections,
)
from events.services import PartServices

console_parts.register(
    "datasets",
    ConsolePart(
        model=DatasetFeature,
        form_class=DatasetFeatureForm,
        services=PartServices(
            create=lambda actor, event, fields: featuring.feature_create(
                actor=actor, event=event, **fields
            ),
            update=lambda actor, obj, fields: featuring.feature_update(
                actor=actor, feature=obj, **fields
            ),
            delete=lambda actor, obj: featuring.feature_delete(actor=actor, feature=obj),
        ),
        url_prefix="organise_dataset_feature",
        title="Datasets",
        singular="featured dataset",
        form_takes_event=True,
        related=("dataset", "challenge", "event"),  # str(feature) names its event
        columns=(
            ("Dataset", lambda f: f.dataset.title),
            ("For", lambda f: f.challenge.title if f.challenge else "Every challenge"),
            ("Published", lambda f: "yes" if f.dataset.is_published else "no: not shown"),
        ),
    ),
    order=50,
)


def _datasets_section(event, request):
    groups = featured_datasets(event)
    return {"event": event, "groups": groups} if groups else None


event_page_sections.register(
    "datasets",
    Section("Datasets", "datasets/event/section.html", _datasets_section),
    order=30,
)


def _catalogue_panel(event, request):
    return {"event": event, "features": features_with_usage(event)}


dashboard_panels.register(
    "catalogue",
    Section("Catalogue", "datasets/event/panel.html", _catalogue_panel),
    order=40,
)


@personal_data_exporters.register("dataset_terms", order=40)
def export_terms_acceptances(user):
    acceptances = TermsAcceptance.objects.filter(user=user).select_related("dataset")
    return [
        {
            "dataset": acceptance.dataset.title,
            "version": acceptance.version,
            "accepted_at": acceptance.accepted_at.isoformat(),
        }
        for acceptance in acceptances
    ]


@personal_data_exporters.register("dataset_downloads", order=40)
def export_downloads(user):
    downloads = Download.objects.filter(user=user).select_related("resource__dataset")
    return [
        {
            "dataset": download.resource.dataset.title,
            "resource": download.resource.name,
            "downloaded_at": download.downloaded_at.isoformat(),
        }
        for download in downloads
    ]


@personal_data_erasers.register("datasets", order=40)
def erase_dataset_use(user):
    """Acceptances go; downloads stay without the person, so publishers' counts hold;
    datasets they created no longer name them."""
    TermsAcceptance.objects.filter(user=user).delete()
    Download.objects.filter(user=user).update(user=None)
    Dataset.objects.filter(created_by=user).update(created_by=None)
