from judging.views import console, results

urlpatterns = [*console.urlpatterns]
urlpatterns += results.urlpatterns
