from django.urls import include, path

app_name = "projects"
urlpatterns = [
    path("", include("zhenwu.projects.urls_projects")),
    path("", include("zhenwu.projects.urls_assets")),
    path("", include("zhenwu.projects.urls_industry")),
]
