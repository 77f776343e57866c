from django.contrib import admin

from datasets.models import (
    Dataset,
    DatasetFeature,
    DatasetTerms,
    Licence,
    Publisher,
    Resource,
)


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "is_open"]


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["name", "format", "size", "profile_status", "download_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "licence", "access_level", "is_published"]
    list_filter = ["access_level", "is_published", "publisher"]
    search_fields = ["title", "slug"]
    # Publishing, access and deletion follow the catalogue's rules (terms first; a used
    # dataset is unpublished, not deleted): they go through the editors' pages.
    readonly_fields = ["search_text", "created_by", "is_published", "access_level"]
    inlines = [ResourceInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DatasetTerms)
class DatasetTermsAdmin(admin.ModelAdmin):
    """Read only: terms are never edited (each acceptance names the words it accepted)."""

    list_display = ["dataset", "version", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DatasetFeature)
class DatasetFeatureAdmin(admin.ModelAdmin):
    list_display = ["dataset", "event", "challenge", "order"]
    list_filter = ["event"]
