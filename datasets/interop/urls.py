"""Routes for other catalogue software: the CKAN Action API (`ckan_urlpatterns`,
namespace "ckan") and DCAT-AP / Data Package exports (`linked_data_urlpatterns`,
namespace "linked_data")."""

from django.urls import path

from datasets.interop import ckan_api

# No trailing slash: ckanapi POSTs to these and does not follow redirects.
ckan_urlpatterns = [
    path("api/3/action/<str:name>", ckan_api.action_view, name="action_v3"),
    path("api/action/<str:name>", ckan_api.action_view, name="action"),
]
linked_data_urlpatterns = []
