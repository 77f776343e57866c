from judging.views import console, judge, team

urlpatterns = [*console.urlpatterns, *judge.urlpatterns, *team.urlpatterns]
