"""Public catalogue pages: search, dataset, resource, terms, downloads, usage."""

from django.urls import path

from datasets.views import access, catalogue

RESOURCE = "datasets/<slug:slug>/resources/<uuid:resource_id>/"

urlpatterns = [
    path("datasets/", catalogue.catalogue, name="catalogue"),
    path("datasets/<slug:slug>/", catalogue.dataset_detail, name="dataset"),
    path("datasets/<slug:slug>/terms/", access.terms, name="terms"),
    path("datasets/<slug:slug>/usage/", access.usage, name="usage"),
    path(RESOURCE, catalogue.resource_detail, name="resource"),
    path(f"{RESOURCE}status/", catalogue.resource_status, name="resource_status"),
    path(f"{RESOURCE}download/", access.resource_download, name="resource_download"),
]
