"""The catalogue in the API: read-only. Column facts are public; preview rows and most
common values are data, included only for people allowed to download the dataset."""

import rules
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from datasets.enums import AccessLevel
from datasets.models import Dataset, Licence, Publisher, Resource, ResourceProfile
from datasets.profiling.columns import DATA_KEYS, METADATA_KEYS
from datasets.selectors.search import formats_of


def may_download(serializer, dataset) -> bool:
    """Whether the requester may have `dataset`'s data, asked once per dataset a request."""
    answers = serializer.context.setdefault("may_download", {})
    if dataset.pk not in answers:
        user = serializer.context["request"].user
        answers[dataset.pk] = rules.has_perm("datasets.download_resource", user, dataset)
    return answers[dataset.pk]


class PublisherSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["slug", "name", "url"]


class LicenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Licence
        fields = ["id", "title", "url", "is_open"]


class ProfileSerializer(serializers.ModelSerializer):
    # `get_fields` is the serializer's own method, hence another name.
    fields = serializers.SerializerMethodField(
        method_name="column_facts",
        help_text="Per column: name, type, count, nulls, distinct, min, max, mean; "
        "top_values only for those allowed to download.",
    )
    preview = serializers.SerializerMethodField(
        help_text="The first rows, as text; null unless you may download the dataset."
    )

    class Meta:
        model = ResourceProfile
        fields = [
            "rows",
            "columns",
            "fields",
            "preview_header",
            "preview",
            "warnings",
            "encoding",
            "profiled_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def column_facts(self, profile):
        # Named keys only: whatever else a stored profile holds stays out.
        keys = METADATA_KEYS + (DATA_KEYS if may_download(self, profile.resource.dataset) else ())
        return [
            {key: field[key] for key in keys if key in field}
            for field in profile.fields
            if isinstance(field, dict)
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    )
    def get_preview(self, profile):
        return profile.preview if may_download(self, profile.resource.dataset) else None


class ResourceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="The permission-checked download (a file, or a redirect to a link)."
    )
    profile = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "name",
            "description",
            "format",
            "media_type",
            "size",
            "sha256",
            "created_at",
            "updated_at",
            "profile_status",
            "profile_progress",
            "profile_error",
            "download_count",
            "download_url",
            "profile",
        ]

    def get_download_url(self, resource) -> str:
        path = reverse(
            "datasets:resource_download",
            kwargs={"slug": resource.dataset.slug, "resource_id": resource.pk},
        )
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(ProfileSerializer(allow_null=True))
    def get_profile(self, resource):
        profile = getattr(resource, "profile", None)
        if profile is None:
            return None
        profile.resource = resource
        return ProfileSerializer(profile, context=self.context).data


class DatasetSerializer(serializers.ModelSerializer):
    """A dataset in a list: enough to choose it."""

    publisher = PublisherSerializer()
    licence = LicenceSerializer()
    themes = serializers.SerializerMethodField()
    formats = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The dataset's page.")

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "title",
            "description",
            "publisher",
            "licence",
            "themes",
            "formats",
            "geography_level",
            "access_level",
            "is_published",
            "modified",
            "url",
        ]

    def get_themes(self, dataset) -> list[str]:
        return [theme.theme for theme in dataset.themes.all()]

    def get_formats(self, dataset) -> list[str]:
        return formats_of(dataset)

    def get_url(self, dataset) -> str:
        return self.context["request"].build_absolute_uri(dataset.get_absolute_url())


class DatasetDetailSerializer(DatasetSerializer):
    """A dataset with its metadata, resources and their profiles."""

    keywords = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    resources = serializers.SerializerMethodField()
    terms_version = serializers.SerializerMethodField(
        help_text="The current version of a restricted dataset's terms (null otherwise)."
    )
    may_download = serializers.SerializerMethodField(
        help_text="Whether you may download its files and see its preview rows."
    )

    class Meta(DatasetSerializer.Meta):
        fields = [
            *DatasetSerializer.Meta.fields,
            "id",
            "contact_name",
            "contact_email",
            "attribution",
            "keywords",
            "issued",
            "update_frequency",
            "temporal_start",
            "temporal_end",
            "geography_coverage",
            "landing_page",
            "provenance",
            "version",
            "terms_version",
            "may_download",
            "resources",
        ]

    @extend_schema_field(ResourceSerializer(many=True))
    def get_resources(self, dataset):
        return ResourceSerializer(dataset.resources.all(), many=True, context=self.context).data

    def get_terms_version(self, dataset) -> int | None:
        if dataset.access_level != AccessLevel.RESTRICTED:
            return None
        versions = [terms.version for terms in dataset.terms.all()]
        return max(versions, default=None)

    def get_may_download(self, dataset) -> bool:
        return may_download(self, dataset)
