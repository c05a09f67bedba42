"""交通补贴 pages."""

from django.urls import path

from zhenwu.assistance import views_transport as views

urlpatterns = [
    path("transport/", views.transport_list, name="transport_list"),
    path("transport/apply/", views.transport_apply, name="transport_apply"),
    path("transport/batch/", views.transport_build, name="transport_build"),
    path("transport/<uuid:public_id>/", views.transport_detail, name="transport_detail"),
    path("transport/<uuid:public_id>/verify/", views.transport_verify, name="transport_verify"),
    path("transport/<uuid:public_id>/approve/", views.transport_approve, name="transport_approve"),
    path("transport/<uuid:public_id>/reject/", views.transport_reject, name="transport_reject"),
]
