"""特色产业 pages."""

from django.urls import path

from zhenwu.projects import views_industry as views

urlpatterns = [
    path("industry/", views.industry_page, name="industry"),
    path("industry/new/", views.industry_create, name="industry_create"),
    path("industry/enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path(
        "industry/enterprises/<uuid:public_id>/edit/",
        views.enterprise_edit,
        name="enterprise_edit",
    ),
]
