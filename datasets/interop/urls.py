"""Routes for other catalogue software: the CKAN Action API (`ckan_urlpatterns`,
namespace "ckan") and DCAT-AP / Data Package exports (`linked_data_urlpatterns`,
namespace "linked_data")."""

ckan_urlpatterns = []
linked_data_urlpatterns = []
