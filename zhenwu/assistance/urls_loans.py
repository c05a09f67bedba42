"""小额信贷 pages."""

from django.urls import path

from zhenwu.assistance import views_loans as views

urlpatterns = [
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/new/", views.loan_issue, name="loan_issue"),
    path("loans/import/", views.loan_import, name="loan_import"),
    path("loans/import/report/", views.loan_import_report, name="loan_import_report"),
    path("loans/subsidy/", views.loan_subsidy, name="loan_subsidy"),
    path("loans/refresh/", views.loan_refresh, name="loan_refresh"),
    path("loans/<uuid:public_id>/", views.loan_detail, name="loan_detail"),
    path("loans/<uuid:public_id>/repay/", views.loan_repay, name="loan_repay"),
    path("loans/<uuid:public_id>/extend/", views.loan_extend, name="loan_extend"),
    path("loans/<uuid:public_id>/write-off/", views.loan_write_off, name="loan_write_off"),
]
