"""Import and export of the household workbook (included in the ``registry`` namespace)."""

from django.urls import path

from zhenwu.registry import views_import

urlpatterns = [
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<uuid:public_id>/", views_import.import_status, name="import_status"),
    path(
        "import/<uuid:public_id>/errors.xlsx",
        views_import.import_error_report,
        name="import_error_report",
    ),
    path("export/", views_import.export_households, name="export_households"),
]
