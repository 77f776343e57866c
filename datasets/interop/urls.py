"""Routes for other catalogue software: the CKAN Action API (`ckan_urlpatterns`,
namespace "ckan") and DCAT-AP / Data Package exports (`linked_data_urlpatterns`,
namespace "linked_data")."""

from django.urls import path

from datasets.interop import ckan_api, exports

# No trailing slash: ckanapi POSTs to these and does not follow redirects.
ckan_urlpatterns = [
    path("api/3/action/<str:name>", ckan_api.action_view, name="action_v3"),
    path("api/action/<str:name>", ckan_api.action_view, name="action"),
]

linked_data_urlpatterns = [
    path("catalog.jsonld", exports.catalogue, {"kind": "jsonld"}, name="catalogue_jsonld"),
    path("catalog.ttl", exports.catalogue, {"kind": "ttl"}, name="catalogue_ttl"),
    path("datasets/<slug:slug>.jsonld", exports.dataset, {"kind": "jsonld"}, name="dataset_jsonld"),
    path("datasets/<slug:slug>.ttl", exports.dataset, {"kind": "ttl"}, name="dataset_ttl"),
    path("datasets/<slug:slug>/datapackage.json", exports.datapackage, name="datapackage"),
]
