"""Submissions in the API. Input and output differ, so each has its own serializer: what
a member may edit (`SubmissionInputSerializer`) against what everyone allowed to read an
entry sees (`SubmissionSerializer`: authors by name only, never an address; citations;
files with their validation; the entry's validation overall)."""

import json

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError

from common.input import MAX_JSON_DEPTH, json_problems
from datasets.models import Dataset, Resource
from datasets.selectors.search import datasets_visible_to
from submissions.models import (
    Artifact,
    DatasetCitation,
    Submission,
    SubmissionAuthor,
    ValidationFinding,
    ValidationReport,
)
from submissions.selectors.listing import Validation
from submissions.selectors.validation import validation_summary
from submissions.services.lifecycle import EDITABLE_FIELDS


class SubmissionInputSerializer(serializers.ModelSerializer):
    """What a member writes: the model's own limits, checked again by the service."""

    class Meta:
        model = Submission
        fields = list(EDITABLE_FIELDS)


class AuthorSerializer(serializers.ModelSerializer):
    # Null once the author erased their account (the credit stays, without the name).
    id = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)

    class Meta:
        model = SubmissionAuthor
        fields = ["id", "name", "organisation", "is_lead"]
        read_only_fields = fields


class CitationSerializer(serializers.ModelSerializer):
    dataset = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    dataset_title = serializers.CharField(source="dataset.title", read_only=True)
    resource = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = DatasetCitation
        fields = ["id", "dataset", "dataset_title", "resource", "how_used", "created_at"]
        read_only_fields = fields


class CitationInputSerializer(serializers.Serializer):
    """A dataset the catalogue shows the requester (by slug) and, optionally, one of its
    files (by id); on update the dataset stays as it was."""

    dataset = serializers.SlugRelatedField(slug_field="slug", queryset=Dataset.objects.none())
    resource = serializers.UUIDField(required=False, allow_null=True, default=None)
    how_used = serializers.CharField(
        max_length=DatasetCitation._meta.get_field("how_used").max_length,
        required=False,
        allow_blank=True,
        default="",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["dataset"].queryset = datasets_visible_to(request.user)
        if self.instance is not None:  # a citation names its dataset once
            self.fields.pop("dataset")

    def validate(self, attrs):
        resource_id = attrs.get("resource")
        if resource_id is not None:
            dataset = attrs.get("dataset") or self.instance.dataset
            resource = Resource.objects.filter(pk=resource_id, dataset=dataset).first()
            if resource is None:
                raise serializers.ValidationError({"resource": ["Not a file of this dataset."]})
            attrs["resource"] = resource
        return attrs


class FindingSerializer(serializers.ModelSerializer):
    check = serializers.CharField(source="check_kind", read_only=True)

    class Meta:
        model = ValidationFinding
        fields = [
            "check", "outcome", "message",
            "file", "sheet", "row", "column", "cell", "notebook_cell",
        ]  # fmt: skip
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = ValidationReport
        fields = ["outcome", "facts", "withholds_publication", "created_at", "findings"]
        read_only_fields = fields


class ArtifactSerializer(serializers.ModelSerializer):
    """A file in a list: what it is and how far its validation has gone."""

    filename = serializers.CharField(source="original_filename", read_only=True)
    uploaded_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    uploaded_at = serializers.DateTimeField(source="created_at", read_only=True)
    outcome = serializers.SerializerMethodField(
        help_text="The report's outcome (pass, warning, fail) once validation is done."
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Artifact
        fields = [
            "id", "filename", "description", "kind", "format", "media_type", "size", "sha256",
            "uploaded_by", "uploaded_at", "status", "progress", "outcome", "error",
            "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_outcome(self, artifact) -> str | None:
        report = getattr(artifact, "report", None)
        return report.outcome if report is not None else None

    def get_download_url(self, artifact) -> str:
        path = reverse(
            "api:submission-artifact-download",
            kwargs={
                "event_slug": self.context["event"].slug,
                "submission_pk": artifact.submission_id,
                "pk": artifact.pk,
            },
        )
        return self.context["request"].build_absolute_uri(path)


class ArtifactDetailSerializer(ArtifactSerializer):
    """A file with its Table Schema and its validation report (null until it is done)."""

    report = serializers.SerializerMethodField()

    class Meta(ArtifactSerializer.Meta):
        fields = [*ArtifactSerializer.Meta.fields, "table_schema", "report"]
        read_only_fields = fields

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, artifact):
        report = getattr(artifact, "report", None)
        return ReportSerializer(report).data if report is not None else None


class JSONTextField(serializers.Field):
    """JSON given as text (a multipart form's field) or as a value (a JSON body), held to
    the rules of the API's JSON parser (depth, storable text, finite numbers)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except RecursionError:
                raise serializers.ValidationError(
                    f"JSON is nested more than {MAX_JSON_DEPTH} levels deep."
                ) from None
            except ValueError:
                raise serializers.ValidationError("Not valid JSON.") from None
        try:
            problems = json_problems(data)
        except ParseError as error:  # nested too deeply
            raise serializers.ValidationError(str(error.detail)) from None
        if problems:
            raise serializers.ValidationError(next(iter(problems.values())))
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.OBJECT)
class TableSchemaField(JSONTextField):
    pass


class ArtifactUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV, XLSX, a notebook (.ipynb), a zip bundle, PDF, PNG or JPEG."
    )
    description = serializers.CharField(
        max_length=Artifact._meta.get_field("description").max_length,
        required=False,
        allow_blank=True,
        default="",
    )
    table_schema = TableSchemaField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A Frictionless Table Schema for a table's columns, as JSON text.",
    )


class SlidesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The slides, as a PDF.")


class ValidationSummarySerializer(serializers.Serializer):
    """Where the checks of the entry's files stand, all files together
    (submissions.selectors.listing.with_validation)."""

    overall = serializers.ChoiceField(
        choices=Validation.choices,
        source="validation",
        help_text="failed if any file failed; else checking while any is queued or running; "
        "else warnings if any has warnings; else passed; none without files.",
    )
    files = serializers.IntegerField(source="file_count")
    failed = serializers.IntegerField(source="failed_count")
    checking = serializers.IntegerField(source="checking_count")
    warnings = serializers.IntegerField(source="warnings_count")


class SubmissionListSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)
    challenge = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # Read from the annotations of the view's queryset (its filter uses them too).
    validation = ValidationSummarySerializer(source="*", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id", "team", "title", "status", "challenge", "theme", "first_submitted_at",
            "locked_at", "is_late", "deadline_extension", "in_gallery", "version",
            "updated_at", "validation",
        ]  # fmt: skip
        read_only_fields = fields


class SubmissionSerializer(SubmissionListSerializer):
    """An entry with its authors (names, never addresses), citations and files."""

    team_id = serializers.IntegerField(read_only=True)
    deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    slides = serializers.SerializerMethodField(help_text="The slides' file name and size, or null.")
    authors = AuthorSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    cited_unused = serializers.SerializerMethodField(
        help_text="Slugs of cited datasets no file was found to use (known once every file "
        "is checked)."
    )
    artifacts = ArtifactSerializer(many=True, read_only=True)

    class Meta(SubmissionListSerializer.Meta):
        fields = [
            "id", "team", "team_id", "title", "summary", "impact_statement",
            "repository_url", "demo_url", "video_url", "slides", "status", "challenge",
            "theme", "first_submitted_at", "locked_at", "is_late", "deadline",
            "deadline_extension", "in_gallery", "version", "created_at", "updated_at",
            "authors", "citations", "cited_unused", "artifacts", "validation",
        ]  # fmt: skip
        read_only_fields = fields

    def get_cited_unused(self, submission) -> list[str]:
        return [dataset.slug for dataset in validation_summary(submission).cited_unused]

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_slides(self, submission):
        if not submission.slides:
            return None
        return {"filename": submission.slides_filename, "size": submission.slides_size}


class ExtensionSerializer(serializers.Serializer):
    until = serializers.DateTimeField(
        help_text="The team's own deadline: later than now and than the event's."
    )


class GallerySerializer(serializers.Serializer):
    in_gallery = serializers.BooleanField()
