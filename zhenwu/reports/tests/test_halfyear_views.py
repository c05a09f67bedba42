"""The 工作总结 preview page and its .docx download: figures as links to the lists they
were counted from, scope (township and district officers only), audit."""

import io

import docx
import pytest
from django.urls import reverse

from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.core.models import AuditEvent, AuditOutcome
from zhenwu.reports.tests.halfyear_data import add_plan

URL = reverse("reports:half_year")


@pytest.fixture
def ledger(luotian_household, makou_household, shadi, luotian):
    return build_ledger(luotian_household, makou_household, shadi, luotian)


def test_preview_links_every_figure_to_its_list(client, ledger, shadi, township_officer):
    client.force_login(township_officer)
    page = client.get(URL, {"area": shadi.code, "period": "2023H1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "沙地镇2023年上半年工作总结及下半年工作计划" in html
    loans = "/assistance/loans/?area=360704101&amp;issued_from=2023-01-01&amp;issued_to=2023-06-30"
    assert (
        f'<a class="figure" href="{loans}" title="发放贷款（人）" data-figure="loan_borrowers">2人</a>'
        in html
    )
    assert 'data-figure="loan_amount">8.50万元</a>' in html
    assert 'href="/assistance/jobs/"' in html
    # a figure without data still links to where it would be counted, marked as empty
    assert 'class="figure figure-empty" href="/workplans/plans/"' in html
    assert f"?area={shadi.code}&amp;period=2023H1&amp;format=docx" in html
    event = AuditEvent.objects.filter(event="reports.generated").latest("id")
    assert event.data["as"] == "html" and event.username == township_officer.username


def test_default_is_the_officers_township(client, world, township_officer):
    client.force_login(township_officer)
    page = client.get(URL)
    assert page.status_code == 200
    assert "沙地镇2023年上半年工作总结" in page.content.decode()


def test_district_officer_may_pick_the_township(client, world, shadi, district_officer):
    client.force_login(district_officer)
    page = client.get(URL, {"area": shadi.code, "period": "2023"})
    assert page.status_code == 200
    assert "沙地镇2023年工作总结及2024年工作计划" in page.content.decode()


def test_docx_download(client, ledger, shadi, township_officer):
    add_plan(shadi)
    client.force_login(township_officer)
    response = client.get(URL, {"area": shadi.code, "period": "2023H1", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "贷款2人，贷款金额8.50万元" in text
    assert "1. 做优板鸭特色产业。" in text
    assert AuditEvent.objects.filter(event="reports.generated").latest("id").data["as"] == "docx"


def test_figures_workbook_download(client, ledger, shadi, township_officer):
    import openpyxl

    client.force_login(township_officer)
    response = client.get(URL, {"area": shadi.code, "period": "2023H1", "format": "xlsx"})
    assert response.status_code == 200
    assert (
        "数字清单" in response["Content-Disposition"]
        or "filename*" in response["Content-Disposition"]
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {row[0]: row for row in book["数字"].iter_rows(values_only=True)}
    assert rows["loan_borrowers"][2:4] == ("2人", 2)
    assert rows["loan_borrowers"][4].startswith("http://testserver/assistance/loans/?")
    assert AuditEvent.objects.filter(event="reports.generated").latest("id").data["as"] == "xlsx"


def test_a_stale_local_wording_is_shown_as_a_warning(client, ledger, shadi, township_officer):
    from zhenwu.reports.models import NarrativeTemplate

    NarrativeTemplate.objects.create(
        report="half-year", slot="summary_intro", area=shadi, revision=1, text="{gone}"
    )
    client.force_login(township_officer)
    html = client.get(URL, {"area": shadi.code, "period": "2023H1"}).content.decode()
    assert "以下段落的本地措辞已不适用" in html and "{gone}" in html


def test_village_cadre_is_refused(client, world, shadi, luotian, luotian_cadre):
    client.force_login(luotian_cadre)
    for params in ({}, {"area": shadi.code, "period": "2023H1"}, {"area": luotian.code}):
        assert client.get(URL, params).status_code == 403
    denied = AuditEvent.objects.filter(event="reports.generated", outcome=AuditOutcome.DENIED)
    assert denied.count() == 3


def test_area_outside_scope_or_not_a_township_is_refused(client, world, luotian, township_officer):
    client.force_login(township_officer)
    assert client.get(URL, {"area": luotian.code, "period": "2023H1"}).status_code == 403
    assert client.get(URL, {"area": "360704102", "period": "2023H1"}).status_code == 403


def test_bad_period_is_a_form_error(client, world, shadi, township_officer):
    client.force_login(township_officer)
    page = client.get(URL, {"area": shadi.code, "period": "2023Q2"})
    assert page.status_code == 200
    assert "工作总结的期间应为半年" in page.content.decode()
    assert page.context["report"] is None


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302


def test_monitoring_figures_link_to_exactly_their_rows(client, world, township_officer, shadi):
    """new_monitored and fixed_problems open lists holding as many rows as they count."""
    from zhenwu.lib.periods import parse_period
    from zhenwu.monitoring.tests.test_analysis_data import build_june
    from zhenwu.reports.halfyear import half_year_report

    build_june(world)
    report = half_year_report(shadi, parse_period("2023H1"))
    client.force_login(township_officer)
    monitored = report.figures["new_monitored"]
    listed = client.get(monitored.url).context["total"]
    assert monitored.has_data and listed == monitored.value[0]
    fixed = report.figures["fixed_problems"]
    assert client.get(fixed.url).context["total"] == fixed.value
    assert "approved=1" in monitored.url and "fixed=1" in fixed.url


def test_the_loan_figure_lists_its_loans(client, ledger, shadi, district_officer):
    """A district officer sees every township's loans: the link narrows to this one."""
    from zhenwu.lib.periods import parse_period
    from zhenwu.reports.halfyear import half_year_report

    report = half_year_report(shadi, parse_period("2023H1"))
    borrowers = report.figures["loan_borrowers"]
    client.force_login(district_officer)
    totals = client.get(borrowers.url).context["totals"]
    assert totals["borrower_count"] == borrowers.value == 2
    assert totals["amount_total"] == report.figures["loan_amount"].value
    elsewhere = borrowers.url.replace(f"area={shadi.code}", "area=999999")
    assert client.get(elsewhere).context["totals"]["loan_count"] == 0
