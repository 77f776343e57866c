from judging.views import console, judge, prizes, results, slots, team

urlpatterns = [
    *console.urlpatterns,
    *slots.urlpatterns,
    *judge.urlpatterns,
    *team.urlpatterns,
    *results.urlpatterns,
    *prizes.urlpatterns,
]
