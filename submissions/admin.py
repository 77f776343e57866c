"""Submissions in the Django admin, to look at: every change goes through the services
(the lifecycle, versions, validation), so the admin shows and does not edit."""

from django.contrib import admin

from submissions.models import Artifact, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ArtifactInline(admin.TabularInline):
    model = Artifact
    fields = ["original_filename", "kind", "size", "status", "attempt"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "team", "status", "is_late", "in_gallery"]
    list_filter = ["status", "is_late", "in_gallery", "event"]
    search_fields = ["title", "team__name"]
    inlines = [ArtifactInline]


@admin.register(Artifact)
class ArtifactAdmin(ReadOnlyAdmin):
    list_display = ["original_filename", "submission", "kind", "status", "attempt", "tries"]
    list_filter = ["status", "kind"]
    search_fields = ["original_filename", "sha256"]
