from judging.views import console, slots

urlpatterns = [*console.urlpatterns, *slots.urlpatterns]
