"""叙述模板 editor pages, under /reports/ in the ``reports`` namespace."""

from django.urls import path

from zhenwu.reports import views_templates as views

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:slot>/", views.template_edit, name="template_edit"),
]
