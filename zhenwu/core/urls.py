from django.urls import path

from zhenwu.core import views_audit

app_name = "core"
urlpatterns = [
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/verify/", views_audit.audit_verify, name="audit_verify"),
]
