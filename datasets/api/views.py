"""The catalogue's read-only API: datasets (searched and filtered like the catalogue
page) and their resources. Visibility is the pages' rule: unpublished datasets answer
404 to everyone but catalogue editors."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets

from common.permissions import ALLOW_ANY
from datasets.api.filters import DatasetFilter
from datasets.api.serializers import (
    DatasetDetailSerializer,
    DatasetSerializer,
    ResourceSerializer,
)
from datasets.models import Resource
from datasets.selectors.search import dataset_get_visible, datasets_visible_to

VIEW = "datasets.view_dataset"
DATASET_SLUG = OpenApiParameter(
    "dataset_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The dataset's slug."
)


class DatasetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The dataset catalogue: search it, filter it by facets, read one dataset with its
    resources and their column profiles."""

    lookup_field = "slug"
    filterset_class = DatasetFilter
    permission_rules = {"list": ALLOW_ANY, "retrieve": VIEW}

    def get_serializer_class(self):
        return DatasetDetailSerializer if self.action == "retrieve" else DatasetSerializer

    def get_queryset(self):
        # The list's filter runs the catalogue search, with this same visibility.
        return datasets_visible_to(self.request.user).select_related("publisher", "licence")

    def get_object(self):
        dataset = dataset_get_visible(
            slug=self.kwargs["slug"], user=self.request.user, related=("publisher", "licence")
        )
        self.check_object_permissions(self.request, dataset)
        resources = Prefetch(
            "resources",
            queryset=Resource.objects.select_related("profile").order_by("order", "created_at"),
        )
        prefetch_related_objects([dataset], "themes", "keywords", "terms", resources)
        return dataset


@extend_schema(parameters=[DATASET_SLUG])
class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The files and links of a dataset, with their column profiles."""

    serializer_class = ResourceSerializer
    permission_rules = {"list": VIEW, "retrieve": VIEW}
    lookup_value_regex = "[0-9a-f-]{36}"
    pagination_class = None  # a dataset has a handful of resources
    filterset_class = None

    def get_dataset(self):
        if not hasattr(self, "_dataset"):
            self._dataset = dataset_get_visible(
                slug=self.kwargs["dataset_slug"], user=self.request.user
            )
        return self._dataset

    def get_permission_target(self):
        return self.get_dataset()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no dataset
            return Resource.objects.none()
        resources = Resource.objects.filter(dataset=self.get_dataset())
        return resources.select_related("dataset", "profile").order_by("order", "created_at")
