"""发放批次 pages."""

from django.urls import path

from zhenwu.assistance import views_payments as views

urlpatterns = [
    path("payments/", views.batch_list, name="payment_batch_list"),
    path("payments/<uuid:public_id>/", views.batch_detail, name="payment_batch_detail"),
    path("payments/<uuid:public_id>/approve/", views.batch_approve, name="payment_batch_approve"),
    path("payments/<uuid:public_id>/export/", views.batch_export, name="payment_batch_export"),
    path("payments/<uuid:public_id>/paid/", views.batch_mark_paid, name="payment_batch_paid"),
    path(
        "payments/lines/<uuid:public_id>/reverse/", views.line_reverse, name="payment_line_reverse"
    ),
]
