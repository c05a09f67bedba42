"""The 报告措辞 pages (reports.views_templates): the slot list and the editor of one slot —
who may open them, preview without saving, save with a message, mistakes and conflicts
shown in the form with the typed text kept, loading an older revision, scope."""

import pytest
from django.urls import reverse

from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.core.models import AuditEvent, AuditOutcome
from zhenwu.reports.actions import save_template
from zhenwu.reports.models import NarrativeTemplate

LIST_URL = reverse("reports:template_list")
PREVENTION = "prevention"
STABILITY = "livelihood_stability"
LOANS = "/assistance/loans/?area=360704101&amp;issued_from=2023-01-01&amp;issued_to=2023-06-30"
NEW_LOANS = "今年共为{loan_borrowers}发放贷款，合计{loan_amount}。"


def edit_url(slot, area):
    return reverse("reports:template_edit", args=[slot]) + f"?area={area.code}"


def form(text, action, base=0, note="", period="2023H1"):
    return {"text": text, "base_revision": base, "note": note, "period": period, "action": action}


@pytest.fixture
def ledger(luotian_household, makou_household, shadi, luotian):
    return build_ledger(luotian_household, makou_household, shadi, luotian)


def test_list_shows_every_slot_and_its_source(client, shadi, township_officer, district_officer):
    save_template(
        district_officer,
        report="half-year",
        slot=STABILITY,
        area=shadi.parent,
        text="二是推进社会和谐稳定。",
        base_revision=0,
    )
    client.force_login(township_officer)
    page = client.get(LIST_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "防返贫监测和帮扶" in html and "社会和谐稳定" in html
    assert html.count('class="btn btn-small"') == 16
    assert f"上级（{shadi.parent.name}）第1版" in html
    assert "默认" in html
    assert f'{edit_url(PREVENTION, shadi).replace("&", "&amp;")}"' in html


def test_edit_page_shows_the_text_placeholders_and_base_revision(client, shadi, township_officer):
    client.force_login(township_officer)
    page = client.get(edit_url(PREVENTION, shadi))
    assert page.status_code == 200
    html = page.content.decode()
    assert "{如有 loan_borrowers}发放“产业振兴信贷通”贷款{loan_borrowers}" in html
    assert "&#123;loan_amount&#125;" in html and "产业振兴信贷通贷款金额（万元）" in html
    assert 'name="base_revision" value="0"' in html
    assert "修订历史" in html and "load=default" in html


@pytest.mark.parametrize("persona", ["luotian_cadre", "auditor"])
def test_without_the_permission_both_pages_are_refused_and_audited(request, persona, shadi):
    user = request.getfixturevalue(persona)
    client = request.getfixturevalue("client")
    client.force_login(user)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(edit_url(PREVENTION, shadi)).status_code == 403
    assert client.post(edit_url(PREVENTION, shadi), form("x", "save")).status_code == 403
    denied = AuditEvent.objects.filter(
        event="reports.templates_view", outcome=AuditOutcome.DENIED, user=user
    )
    assert denied.count() == 3
    assert denied.first().data["perm"] == "reports.templates"
    assert not NarrativeTemplate.objects.exists()


def test_preview_renders_the_slot_with_figure_links_and_saves_nothing(
    client, ledger, shadi, township_officer
):
    client.force_login(township_officer)
    page = client.post(edit_url(PREVENTION, shadi), form(NEW_LOANS, "preview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "今年共为" in html and "发放贷款，合计" in html
    assert f'<a class="figure" href="{LOANS}"' in html
    assert 'data-figure="loan_borrowers">2人</a>' in html
    preview = html.split('id="preview-head"')[1].split('class="template-editor"')[0]
    assert "现将截至" not in preview  # only this slot's blocks
    assert not NarrativeTemplate.objects.exists()
    event = AuditEvent.objects.filter(event="reports.generated").latest("id")
    assert event.data["as"] == "template_preview" and event.data["slot"] == PREVENTION


def test_save_creates_revision_one_and_says_so(client, shadi, township_officer):
    client.force_login(township_officer)
    response = client.post(
        edit_url(STABILITY, shadi), form("二是社会稳定。", "save", note="据实"), follow=True
    )
    row = NarrativeTemplate.objects.get()
    assert (row.revision, row.slot, row.area, row.note) == (1, STABILITY, shadi, "据实")
    assert response.redirect_chain[-1][0] == edit_url(STABILITY, shadi)
    html = response.content.decode()
    assert "已保存第1版" in html
    assert 'name="base_revision" value="1"' in html
    assert "本级第1版" in html


def test_invalid_text_shows_the_line_error_and_keeps_the_text(client, shadi, township_officer):
    client.force_login(township_officer)
    text = "第一句。\n{如有 screening_visits}走访{screening_visits}。\n第三句。"
    for action in ("save", "preview"):
        page = client.post(edit_url(PREVENTION, shadi), form(text, action))
        assert page.status_code == 200
        html = page.content.decode()
        assert "第2行：{如有 screening_visits} 没有对应的 {结束}。" in html
        assert (
            "第一句。\n{如有 screening_visits}走访{screening_visits}。\n第三句。</textarea>" in html
        )
        assert "预览：" not in html
    page = client.post(edit_url(PREVENTION, shadi), form("走访{nobody}。\n再{somebody}。", "save"))
    html = page.content.decode()
    assert "第1行：未知的占位符 {nobody}。" in html and "第2行：未知的占位符 {somebody}。" in html
    assert not NarrativeTemplate.objects.exists()


def test_stale_base_revision_shows_the_conflict(client, shadi, township_officer, district_officer):
    save_template(
        district_officer,
        report="half-year",
        slot=STABILITY,
        area=shadi,
        text="别人先保存的。",
        base_revision=0,
    )
    client.force_login(township_officer)
    page = client.post(edit_url(STABILITY, shadi), form("我的修改。", "save", base=0))
    assert page.status_code == 200
    html = page.content.decode()
    assert "该记录已被他人修改" in html
    assert "我的修改。</textarea>" in html
    assert NarrativeTemplate.objects.count() == 1


def test_load_fills_the_textarea_without_saving(client, shadi, township_officer):
    first = save_template(
        township_officer,
        report="half-year",
        slot=STABILITY,
        area=shadi,
        text="第一版的句子。",
        base_revision=0,
    )
    save_template(
        township_officer,
        report="half-year",
        slot=STABILITY,
        area=shadi,
        text="第二版的句子。",
        base_revision=1,
    )
    client.force_login(township_officer)
    url = edit_url(STABILITY, shadi)
    assert ">\n第二版的句子。</textarea>" in client.get(url).content.decode()
    html = client.get(url + f"&load={first.public_id}").content.decode()
    assert ">\n第一版的句子。</textarea>" in html
    assert 'name="base_revision" value="2"' in html
    html = client.get(url + "&load=default").content.decode()
    assert "请据实补充。</textarea>" in html
    assert NarrativeTemplate.objects.count() == 2
    assert client.get(url + "&load=00000000-0000-0000-0000-000000000000").status_code == 404


def test_out_of_scope_area_or_unknown_slot_is_404(client, shadi, luotian, township_officer):
    client.force_login(township_officer)
    district = shadi.parent
    assert client.get(LIST_URL, {"area": district.code}).status_code == 404
    assert client.get(edit_url(PREVENTION, district)).status_code == 404
    assert client.get(edit_url(PREVENTION, luotian)).status_code == 404  # a village
    assert client.get(edit_url("no_such_slot", shadi)).status_code == 404
    assert client.post(edit_url(STABILITY, district), form("x。", "save")).status_code == 404
    assert not NarrativeTemplate.objects.exists()


def test_district_officer_edits_the_district_and_previews_a_township(
    client, ledger, shadi, district_officer
):
    client.force_login(district_officer)
    district = shadi.parent
    assert client.get(LIST_URL, {"area": district.code}).status_code == 200
    page = client.post(
        edit_url(PREVENTION, district), {**form(NEW_LOANS, "preview"), "township": shadi.code}
    )
    html = page.content.decode()
    assert f"预览：{shadi.name}2023年上半年" in html
    assert 'data-figure="loan_borrowers">2人</a>' in html


def test_half_year_page_links_to_the_editor_for_holders_only(client, shadi, township_officer):
    client.force_login(township_officer)
    html = client.get(reverse("reports:half_year")).content.decode()
    assert "编辑报告措辞" in html
    assert f'href="{LIST_URL}"' in html  # the nav entry


def test_preview_of_the_title_and_of_an_empty_part(client, shadi, township_officer):
    client.force_login(township_officer)
    page = client.post(edit_url("title", shadi), form("{township}{period}工作回顾", "preview"))
    assert '<h3 class="halfyear-title">沙地镇2023年上半年工作回顾</h3>' in page.content.decode()
    text = "{如有 industry_projects}二是推进{industry_projects}。{结束}"
    page = client.post(edit_url("industry_projects", shadi), form(text, "preview"))
    assert "本段在该期间为空，报告中不出现。" in page.content.decode()
    page = client.post(edit_url("title", shadi), form("{township}", "preview", period="2023-06"))
    assert "期间格式不正确" in page.content.decode()
