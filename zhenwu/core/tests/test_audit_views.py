"""The audit log is readable by the auditor only, and reading it is audited."""

import pytest
from django.urls import reverse

from zhenwu.core import audit
from zhenwu.core.models import AuditEvent


@pytest.mark.parametrize(
    "persona",
    ["township_officer", "luotian_cadre", "system_admin", "district_officer", "no_membership_user"],
)
def test_only_the_auditor_reads_the_log(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.get(reverse("core:audit_verify")).status_code == 403


def test_auditor_sees_events_and_filters_and_the_read_is_audited(client, auditor, township_officer):
    audit.record("registry.search", actor=township_officer, data={"count": 3})
    audit.record("auth.login_failed", outcome="failure", username="someone")
    client.force_login(auditor)
    page = client.get(reverse("core:audit_log"), {"event": "registry."}).content.decode()
    assert "registry.search" in page and "auth.login_failed" not in page
    assert AuditEvent.objects.filter(event="audit.log_viewed", user=auditor).exists()


def test_chain_check_page_reports_intact_chain(client, auditor, township_officer):
    audit.record("registry.search", actor=township_officer)
    client.force_login(auditor)
    response = client.get(reverse("core:audit_verify"))
    assert "哈希链完整" in response.content.decode()
