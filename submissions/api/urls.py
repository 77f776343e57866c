"""The submissions API's routes, added to /api/v1/ by hackathon/urls.py."""

urlpatterns = []
