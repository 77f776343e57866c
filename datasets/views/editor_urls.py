"""Catalogue editors' pages: create, edit, resources, terms, import."""

from django.urls import path

from datasets.interop.import_views import catalogue_import
from datasets.views import editor, editor_resources

urlpatterns = [
    path("catalogue/", editor.home, name="editor_home"),
    path("catalogue/new/", editor.dataset_create, name="editor_dataset_create"),
    path("catalogue/publishers/", editor.publishers, name="editor_publishers"),
    path("catalogue/publishers/new/", editor.publisher_create, name="editor_publisher_create"),
    path(
        "catalogue/publishers/<slug:slug>/edit/",
        editor.publisher_edit,
        name="editor_publisher_edit",
    ),
    path("catalogue/datasets/<slug:slug>/", editor.dataset_detail, name="editor_dataset"),
    path("catalogue/datasets/<slug:slug>/edit/", editor.dataset_edit, name="editor_dataset_edit"),
    path(
        "catalogue/datasets/<slug:slug>/publish/",
        editor.dataset_publish,
        name="editor_dataset_publish",
    ),
    path(
        "catalogue/datasets/<slug:slug>/unpublish/",
        editor.dataset_unpublish,
        name="editor_dataset_unpublish",
    ),
    path(
        "catalogue/datasets/<slug:slug>/delete/",
        editor.dataset_delete,
        name="editor_dataset_delete",
    ),
    path("catalogue/datasets/<slug:slug>/terms/", editor.terms, name="editor_terms"),
    path(
        "catalogue/datasets/<slug:slug>/resources/upload/",
        editor_resources.resource_upload,
        name="editor_resource_upload",
    ),
    path(
        "catalogue/datasets/<slug:slug>/resources/link/",
        editor_resources.resource_link,
        name="editor_resource_link",
    ),
    path(
        "catalogue/datasets/<slug:slug>/resources/<uuid:pk>/edit/",
        editor_resources.resource_edit,
        name="editor_resource_edit",
    ),
    path(
        "catalogue/datasets/<slug:slug>/resources/<uuid:pk>/replace/",
        editor_resources.resource_replace,
        name="editor_resource_replace",
    ),
    path(
        "catalogue/datasets/<slug:slug>/resources/<uuid:pk>/delete/",
        editor_resources.resource_delete,
        name="editor_resource_delete",
    ),
    # The import page (another helper) is appended here.
    path("catalogue/import/", catalogue_import, name="catalogue_import"),
]
