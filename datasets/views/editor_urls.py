"""Catalogue editors' pages: create, edit, resources, terms, import."""

from django.urls import path

from datasets.interop.import_views import catalogue_import

urlpatterns = [
    path("catalogue/import/", catalogue_import, name="catalogue_import"),
]
