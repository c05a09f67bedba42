"""帮扶数据统计 (statistics and export)."""

from django.urls import path

from zhenwu.assistance import views_stats

urlpatterns = [
    path("stats/", views_stats.stats, name="stats"),
]
