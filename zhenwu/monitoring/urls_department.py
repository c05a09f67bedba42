from django.urls import path

from zhenwu.monitoring import views_department as views

urlpatterns = [
    path("department/", views.department_list, name="department_list"),
    path(
        "department/templates/<str:department>.xlsx",
        views.department_template,
        name="department_template",
    ),
    path("department/errors.xlsx", views.department_error_report, name="department_error_report"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<uuid:public_id>/", views.run_detail, name="run_detail"),
]
