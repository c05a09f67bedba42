"""项目资产 pages."""

from django.urls import path

from zhenwu.projects import views_assets as views

urlpatterns = [
    path("assets/", views.asset_list, name="asset_list"),
    path("assets/export.xlsx", views.asset_export, name="asset_export"),
    path("assets/<uuid:public_id>/", views.asset_detail, name="asset_detail"),
    path("assets/<uuid:public_id>/income/", views.asset_income, name="asset_income"),
    path("library/<uuid:public_id>/assets/new/", views.asset_register, name="asset_register"),
]
