from judging.views import console

urlpatterns = [*console.urlpatterns]
