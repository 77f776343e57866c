"""Pages: see submissions/views/__init__.py."""

urlpatterns = []
