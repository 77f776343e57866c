"""An entry's parts through the API, under /events/<event_slug>/submissions/<id>/: its
files (uploaded, validated in the background, each with its report, downloaded) and the
catalogue datasets it cites."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.schema import error_responses
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from submissions.api.files import DOWNLOAD, DownloadRenderer, upload_fields
from submissions.api.serializers import (
    ArtifactDetailSerializer,
    ArtifactSerializer,
    ArtifactUploadSerializer,
    CitationInputSerializer,
    CitationSerializer,
)
from submissions.api.views import CHANGE, READ
from submissions.enums import ValidationActor
from submissions.models import Artifact, DatasetCitation, Submission
from submissions.services import artifacts, citations, validation
from submissions.views.team_files import stored_file_download

SUBMISSION_PK = OpenApiParameter(
    "submission_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The entry's id."
)


class SubmissionPartMixin(EventScopedMixin):
    """For routes under an entry: the entry, in this event or 404, is what the rules are
    checked against (then each file or citation too, for detail routes)."""

    lookup_value_regex = "[0-9]+"
    pagination_class = None  # an entry has a handful of files and citations

    def get_submission(self):
        if not hasattr(self, "_submission"):
            self._submission = get_object_or_404(
                Submission.objects.select_related("event", "team"),
                event=self.get_event(),
                pk=self.kwargs["submission_pk"],
            )
        return self._submission

    def get_permission_target(self):
        return self.get_submission()


@extend_schema(parameters=[EVENT_SLUG, SUBMISSION_PK])
@error_responses(conflict="*", busy="*")
class ArtifactViewSet(
    SubmissionPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """An entry's files: uploaded (multipart), validated in the background, each with its
    report once done, downloaded as attachments."""

    permission_rules = {
        "list": READ,
        "retrieve": READ,
        "download": READ,
        "create": CHANGE,
        "destroy": CHANGE,
        "rerun": CHANGE,
    }

    def get_serializer_class(self):
        return ArtifactSerializer if self.action == "list" else ArtifactDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Artifact.objects.none()
        files = Artifact.objects.filter(submission=self.get_submission())
        files = files.select_related("submission__event", "uploaded_by", "report")
        if self.action == "retrieve":
            files = files.prefetch_related("report__findings")
        return files

    def _file(self, artifact, code=status.HTTP_200_OK):
        fresh = self.get_queryset().prefetch_related("report__findings").get(pk=artifact.pk)
        context = self.get_serializer_context()
        return Response(ArtifactDetailSerializer(fresh, context=context).data, status=code)

    @extend_schema(
        request={"multipart/form-data": ArtifactUploadSerializer},
        responses={201: ArtifactDetailSerializer},
    )
    def create(self, request, event_slug=None, submission_pk=None):
        """Upload a file; its type is read from its content, and it is queued for
        validation."""
        fields = upload_fields(request, ArtifactUploadSerializer)
        artifact = artifacts.artifact_add(
            actor=request.user,
            submission=self.get_submission(),
            uploaded_file=fields["file"],
            description=fields["description"],
            table_schema=fields["table_schema"],
        )
        return self._file(artifact, status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        artifacts.artifact_remove(actor=self.request.user, artifact=instance)

    @extend_schema(request=None, responses=ArtifactDetailSerializer)
    @action(detail=True, methods=["post"])
    def rerun(self, request, event_slug=None, submission_pk=None, pk=None):
        """Check the file again once its checks are done (its old report goes)."""
        artifact = validation.validation_rerun(
            artifact=self.get_object(), by=ValidationActor.MEMBER, actor=request.user
        )
        return self._file(artifact)

    @extend_schema(responses=DOWNLOAD)
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def download(self, request, event_slug=None, submission_pk=None, pk=None):
        artifact = self.get_object()
        return stored_file_download(artifact.file, artifact.original_filename)


@extend_schema(parameters=[EVENT_SLUG, SUBMISSION_PK])
@error_responses(conflict="*", busy="*")
class CitationViewSet(
    SubmissionPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The catalogue datasets an entry says it used, and how."""

    serializer_class = CitationSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_rules = {
        "list": READ,
        "retrieve": READ,
        "create": CHANGE,
        "partial_update": CHANGE,
        "destroy": CHANGE,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DatasetCitation.objects.none()
        cited = DatasetCitation.objects.filter(submission=self.get_submission())
        return cited.select_related("dataset", "submission__event")

    def _citation(self, citation, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=citation.pk)
        return Response(CitationSerializer(fresh).data, status=code)

    @extend_schema(request=CitationInputSerializer, responses={201: CitationSerializer})
    def create(self, request, event_slug=None, submission_pk=None):
        """Cite a catalogue dataset (by slug) and, optionally, one of its files."""
        payload = CitationInputSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        citation = citations.citation_add(
            actor=request.user, submission=self.get_submission(), **payload.validated_data
        )
        return self._citation(citation, status.HTTP_201_CREATED)

    @extend_schema(request=CitationInputSerializer, responses=CitationSerializer)
    def partial_update(self, request, event_slug=None, submission_pk=None, pk=None):
        """Change which file was used, and how; fields left out keep their value."""
        citation = self.get_object()
        payload = CitationInputSerializer(
            citation, data=request.data, partial=True, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        fields = {"resource": citation.resource, "how_used": citation.how_used}
        fields |= payload.validated_data
        updated = citations.citation_update(actor=request.user, citation=citation, **fields)
        return self._citation(updated)

    def perform_destroy(self, instance):
        citations.citation_remove(actor=self.request.user, citation=instance)
