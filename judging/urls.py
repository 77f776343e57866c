from judging.views import console, team

urlpatterns = [*console.urlpatterns, *team.urlpatterns]
