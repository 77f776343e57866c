from judging.views import console, judge

urlpatterns = [*console.urlpatterns, *judge.urlpatterns]
