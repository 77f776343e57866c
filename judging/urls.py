from judging.views import console, prizes

urlpatterns = [*console.urlpatterns, *prizes.urlpatterns]
