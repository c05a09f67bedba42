from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("", include("zhenwu.reports.urls_halfyear")),
    path("", include("zhenwu.reports.urls_dashboard")),
    path("", include("zhenwu.reports.urls_templates")),
]
