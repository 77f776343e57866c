"""Public catalogue pages: search, dataset, resource, terms, downloads."""

urlpatterns = []
