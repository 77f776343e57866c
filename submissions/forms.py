"""The team's forms: its entry, its files and slides, and the datasets it cites."""

from django import forms
from django.conf import settings

from common.exceptions import ApplicationError
from datasets.forms import UploadCapMixin
from datasets.models import Dataset, Resource
from datasets.tableschema import table_schema_from_text
from submissions.models import Submission
from submissions.services.lifecycle import EDITABLE_FIELDS

URL_HINT = "A full web address, starting https://"


class SubmissionForm(forms.ModelForm):
    """What a member writes about the entry (lifecycle.EDITABLE_FIELDS)."""

    repository_url = forms.URLField(
        label="Code repository (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=f"{URL_HINT}, e.g. https://github.com/your-team/project.",
    )
    demo_url = forms.URLField(
        label="Live demo (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=URL_HINT,
    )
    video_url = forms.URLField(
        label="Video (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=URL_HINT,
    )

    class Meta:
        model = Submission
        fields = list(EDITABLE_FIELDS)
        labels = {
            "title": "Title",
            "summary": "Summary",
            "impact_statement": "The problem and its community impact",
        }
        help_texts = {
            "summary": "What you made and what it shows, in a few sentences. Needed to submit.",
            "impact_statement": "Which local problem you took on, and who would benefit.",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "impact_statement": forms.Textarea(attrs={"rows": 6}),
        }

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class GalleryForm(forms.Form):
    in_gallery = forms.BooleanField(
        label="Show our submission in the public gallery",
        required=False,
        help_text=Submission._meta.get_field("in_gallery").help_text,
    )


class _SubmissionUpload(UploadCapMixin, forms.Form):
    def __init__(self, *args, refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._refuse_over_cap(refused)

    def upload_limit(self) -> int:
        return settings.SUBMISSIONS_FILE_MAX_BYTES


class ArtifactForm(_SubmissionUpload):
    file = forms.FileField(
        label="File",
        help_text="A CSV or Excel table, a Jupyter notebook (.ipynb), a zip bundle, a PDF, "
        "or a PNG or JPEG image.",
    )
    description = forms.CharField(
        label="What is in it (optional)",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    table_schema = forms.CharField(
        label="Table Schema (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="For a table: a Frictionless Table Schema in JSON describing its columns, "
        'e.g. {"fields": [{"name": "claimants", "type": "integer"}]}. The checks use it to '
        "know which columns are counts.",
    )

    def clean_table_schema(self):
        try:
            return table_schema_from_text(self.cleaned_data["table_schema"])
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error


class SlidesForm(_SubmissionUpload):
    file = forms.FileField(
        label="Slides (PDF)", help_text="They replace any slides uploaded before."
    )


class DatasetSearchForm(forms.Form):
    q = forms.CharField(label="Search the catalogue", max_length=200, required=False)


class DatasetChoiceForm(forms.Form):
    """One dataset to cite, among `datasets` (the event's featured ones, or what a search
    found), by its slug."""

    dataset = forms.ModelChoiceField(
        label="Dataset",
        queryset=Dataset.objects.none(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the dataset you used.",
            "invalid_choice": "Choose one of the datasets listed.",
        },
    )

    def __init__(self, *args, datasets, legend: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets
        self.fields["dataset"].label = legend


class CitationForm(forms.Form):
    resource = forms.ModelChoiceField(
        label="Which of its files did you use?",
        queryset=Resource.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        empty_label="Several of them, or the dataset as a whole",
    )
    how_used = forms.CharField(
        label="How you used it",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: joined to ward boundaries to map claimants per 1,000 people.",
    )

    def __init__(self, *args, dataset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = dataset.resources.order_by("order", "created_at")
