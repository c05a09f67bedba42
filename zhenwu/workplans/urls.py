from django.urls import include, path

app_name = "workplans"
urlpatterns = [
    path("", include("zhenwu.workplans.urls_plans")),
    path("", include("zhenwu.workplans.urls_indicators")),
]
