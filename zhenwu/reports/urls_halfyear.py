"""半年工作总结 pages, under /reports/ in the ``reports`` namespace."""

from django.urls import path

from zhenwu.reports import views_halfyear as views

urlpatterns = [
    path("half-year/", views.half_year, name="half_year"),
]
