from judging.views import urlpatterns

__all__ = ["urlpatterns"]
