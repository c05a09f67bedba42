from django.urls import include, path

from zhenwu.monitoring import views_home

app_name = "monitoring"
# Each part of the monitoring work has its own URL module (one owner each).
urlpatterns = [
    path("", views_home.monitoring_home, name="home"),
    path("", include("zhenwu.monitoring.urls_clues")),
    path("", include("zhenwu.monitoring.urls_cases")),
    path("", include("zhenwu.monitoring.urls_screening")),
    path("", include("zhenwu.monitoring.urls_department")),
    path("", include("zhenwu.monitoring.urls_analysis")),
]
