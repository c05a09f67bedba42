"""每月一研判, data-quality checks and the national-style export of monitored households."""

from django.urls import path

from zhenwu.monitoring import views_analysis as views

urlpatterns = [
    path("analysis/", views.analysis_list, name="analysis_list"),
    path("analysis/<uuid:public_id>/", views.analysis_detail, name="analysis_detail"),
    path("analysis/<uuid:public_id>/meeting/", views.analysis_meeting, name="analysis_meeting"),
    path("analysis/<uuid:public_id>/refresh/", views.analysis_refresh, name="analysis_refresh"),
    path("analysis/<uuid:public_id>/finalize/", views.analysis_finalize, name="analysis_finalize"),
    path("analysis/<uuid:public_id>/docx/", views.analysis_docx_download, name="analysis_docx"),
    path("quality/", views.quality_list, name="quality_list"),
    path("export/", views.export_monitored_view, name="export_monitored"),
]
