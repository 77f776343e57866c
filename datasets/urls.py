"""The catalogue's pages: what everyone sees (`catalogue_urls`) and what catalogue
editors use (`editor_urls`)."""

from datasets.views.catalogue_urls import urlpatterns as catalogue_urlpatterns
from datasets.views.editor_urls import urlpatterns as editor_urlpatterns

app_name = "datasets"

urlpatterns = [*catalogue_urlpatterns, *editor_urlpatterns]
