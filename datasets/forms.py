"""Catalogue editors' forms, and the form organisers feature a dataset with."""

import json

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.db.models import Q

from common.exceptions import ApplicationError
from common.files import upload_cap_message
from datasets.enums import CatalogueTheme
from datasets.models import Dataset, DatasetFeature, Licence, Publisher, Resource
from datasets.services.catalogue import DATASET_FIELDS, keywords_text
from datasets.tableschema import table_schema_from_text
from events.models import Challenge

SECTION = {"legend_size": Size.MEDIUM, "legend_tag": "h2"}
DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
)
WHOLE_NUMBER = forms.TextInput(
    attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-4"}
)


def _sections(*fieldsets) -> FormHelper:
    """A helper laying a form out in fieldsets: (legend, field names) pairs; legends are
    written here, never typed by a user."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        *(Fieldset(*names, legend=legend, **SECTION) for legend, names in fieldsets)
    )
    return helper


class DatasetForm(forms.ModelForm):
    landing_page = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="The publisher's own page about the data, if any.",
    )
    keywords = forms.CharField(
        required=False,
        max_length=3000,
        help_text="Separate them with commas, e.g. employment, benefits, Halton.",
    )
    themes = forms.MultipleChoiceField(
        choices=CatalogueTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Catalogue themes",
        help_text="The DCAT-AP data themes it belongs to.",
    )

    class Meta:
        model = Dataset
        fields = ["slug", *DATASET_FIELDS]
        labels = {
            "slug": "Web address name",
            "licence": "Licence",
            "issued": "First published",
            "modified": "Last changed",
            "temporal_start": "Data from",
            "temporal_end": "Data up to",
            "geography_level": "Smallest area described",
        }
        help_texts = {
            "slug": "Leave empty to make one from the title. It cannot be changed later.",
            "provenance": "Where the data come from and how they were prepared.",
            "version": "As the publisher numbers releases, if they do.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "attribution": forms.Textarea(attrs={"rows": 2}),
            "provenance": forms.Textarea(attrs={"rows": 4}),
            "issued": DATE_WIDGET,
            "modified": DATE_WIDGET,
            "temporal_start": DATE_WIDGET,
            "temporal_end": DATE_WIDGET,
            "geography_level": forms.RadioSelect,
            "access_level": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["slug"]
            self.initial.setdefault("keywords", keywords_text(self.instance))
            self.initial.setdefault(
                "themes", list(self.instance.themes.values_list("theme", flat=True))
            )
        else:
            self.fields["slug"].required = False
        self.fields["publisher"].queryset = Publisher.objects.order_by("name")
        self.fields["publisher"].empty_label = "Choose a publisher"
        self.fields["licence"].queryset = Licence.objects.order_by("title")
        self.fields["licence"].empty_label = "Choose a licence"
        # Each error says what to do, so the summary's links read apart.
        for name, message in (
            ("title", "Enter the dataset's title"),
            ("publisher", "Choose a publisher"),
            ("licence", "Choose a licence"),
        ):
            self.fields[name].error_messages["required"] = message
        level = self.fields["geography_level"]
        level.choices = [("", "Not stated"), *[c for c in level.choices if c[0]]]
        self.helper = _sections(
            ("About the data", [*(["slug"] if not editing else []), "title", "description"]),
            ("Finding it", ["keywords", "themes"]),
            ("Publisher and licence", ["publisher", "contact_name", "contact_email", "licence"]),
            ("Attribution", ["attribution"]),
            (
                "Coverage",
                ["temporal_start", "temporal_end", "geography_coverage", "geography_level"],
            ),
            ("Releases", ["issued", "modified", "update_frequency", "version"]),
            ("Where it comes from", ["landing_page", "provenance"]),
            ("Who may have the data", ["access_level"]),
        )

    def service_fields(self) -> dict:
        """The cleaned data as the catalogue services take them."""
        fields = dict(self.cleaned_data)
        if not fields.get("slug"):
            fields.pop("slug", None)
        return fields


class PublisherForm(forms.ModelForm):
    url = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = Publisher
        fields = ["name", "url", "contact_name", "contact_email"]


class TermsForm(forms.Form):
    text = forms.CharField(
        label="Terms of use",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Published as a new version: everyone accepts it before their next download.",
    )


class UploadCapMixin:
    """`refused=True` when common.files.refused_uploads names the file field: the upload
    handler skipped the file for its size, so the field must say that, not "required".
    A form whose files have a lower cap than UPLOAD_MAX_BYTES names it in `upload_limit`."""

    def upload_limit(self) -> int | None:
        return None

    def _refuse_over_cap(self, refused: bool) -> None:
        self.refused = refused
        if refused:
            self.fields["file"].required = False

    def clean_file(self):
        if self.refused:
            raise forms.ValidationError(upload_cap_message(self.upload_limit()))
        return self.cleaned_data["file"]


class ResourceUploadForm(UploadCapMixin, forms.Form):
    file = forms.FileField(
        label="File", help_text="CSV, XLSX, JSON, a zip archive, PDF or an image."
    )
    name = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to use the file's name."
    )
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._refuse_over_cap(refused)


class ResourceReplaceForm(UploadCapMixin, forms.Form):
    file = forms.FileField(label="New file", help_text="It is profiled again once uploaded.")

    def __init__(self, *args, refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._refuse_over_cap(refused)


class ResourceLinkForm(forms.Form):
    url = forms.URLField(
        label="Web address", max_length=1000, assume_scheme="https", help_text="Where the data are."
    )
    name = forms.CharField(max_length=200)
    format = forms.CharField(
        max_length=20, required=False, help_text="e.g. CSV, API, XLSX.", label="Format"
    )
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResourceEditForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    format = forms.CharField(max_length=20, required=False, help_text="e.g. CSV, API, XLSX.")
    table_schema = forms.CharField(
        label="Table Schema (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=(
            "Optional: a Frictionless Table Schema describing the columns, e.g. "
            '{"fields": [{"name": "area_code", "type": "string"}]}.'
        ),
    )

    def __init__(self, *args, resource: Resource, **kwargs):
        schema = resource.table_schema
        kwargs.setdefault(
            "initial",
            {
                "name": resource.name,
                "description": resource.description,
                "format": resource.format,
                "table_schema": json.dumps(schema, indent=2) if schema is not None else "",
            },
        )
        super().__init__(*args, **kwargs)
        if resource.is_upload:
            del self.fields["format"]  # read from the file's content

    def clean_table_schema(self):
        try:
            return table_schema_from_text(self.cleaned_data["table_schema"])
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error


class DatasetFeatureForm(forms.ModelForm):
    class Meta:
        model = DatasetFeature
        fields = ["dataset", "challenge", "note", "order"]
        widgets = {
            "challenge": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
            "order": WHOLE_NUMBER,
        }
        help_texts = {"order": "Lower numbers come first. Move up and Move down change it too."}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event  # the model's own check compares the challenge's event
        published = Q(is_published=True)
        if self.instance.pk:  # a dataset unpublished since stays choosable for its own entry
            published |= Q(pk=self.instance.dataset_id)
        self.fields["dataset"].queryset = Dataset.objects.filter(published).order_by("title")
        self.fields["dataset"].empty_label = "Choose a published dataset"
        self.fields["challenge"].queryset = Challenge.objects.filter(event=event)
        self.fields["challenge"].empty_label = "Every challenge"
        self.fields["challenge"].required = False
        self.fields["challenge"].help_text = "The challenge this dataset helps with most."
