"""Editable narrative templates: who may save, what is checked, conflicts, audit, and that
the report uses the saved wording (reports.actions.save_template)."""

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.lib.periods import parse_period
from zhenwu.reports.actions import save_template
from zhenwu.reports.halfyear import half_year_report
from zhenwu.reports.halfyear_slots import HALF_YEAR
from zhenwu.reports.models import NarrativeTemplate
from zhenwu.reports.selectors import current_texts

H1_2023 = parse_period("2023H1")
NEW_INTRO = "{period}，{township}全体干部真抓实干，截至{end_date}主要工作如下："


def save(user, area, text=NEW_INTRO, slot="summary_intro", base=0, note=""):
    return save_template(
        user,
        report="half-year",
        slot=slot,
        area=area,
        text=text,
        base_revision=base,
        note=note,
    )


def test_a_township_officer_saves_and_the_report_uses_it(township_officer, shadi):
    before = half_year_report(shadi, H1_2023).as_text()
    row = save(township_officer, shadi, note="更朴素的开头")
    assert (row.revision, row.created_by) == (1, township_officer)
    text = half_year_report(shadi, H1_2023).as_text()
    assert "2023年上半年，沙地镇全体干部真抓实干，截至2023年6月30日主要工作如下：" in text
    assert "全体干部真抓实干" not in before


def test_saving_is_audited_in_the_same_transaction(township_officer, shadi):
    row = save(township_officer, shadi)
    event = AuditEvent.objects.get(event="reports.template_saved")
    assert event.user == township_officer
    assert event.object_id == str(row.public_id)
    assert event.data == {
        "report": "half-year",
        "slot": "summary_intro",
        "area": shadi.code,
        "revision": 1,
    }


@pytest.mark.parametrize("persona", ["luotian_cadre", "makou_cadre", "auditor", "system_admin"])
def test_editing_needs_the_permission(request, persona, shadi):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as refused:
        save(user, shadi)
    assert refused.value.code == "permission_denied"
    assert not NarrativeTemplate.objects.exists()
    assert not AuditEvent.objects.filter(event="reports.template_saved").exists()


def test_a_township_officer_cannot_edit_the_district_wording(township_officer, world):
    with pytest.raises(DomainError) as refused:
        save(township_officer, world.areas["district"])
    assert refused.value.code == "out_of_scope"


def test_a_district_wording_applies_until_the_township_has_its_own(
    district_officer, township_officer, shadi, world
):
    district = world.areas["district"]
    save(district_officer, district, text="区级统一开头，截至{end_date}：")
    current = current_texts(HALF_YEAR, shadi)["summary_intro"]
    assert (current.text, current.revision.area) == ("区级统一开头，截至{end_date}：", district)
    save(township_officer, shadi, text="本镇开头：")
    assert current_texts(HALF_YEAR, shadi)["summary_intro"].text == "本镇开头："
    assert "本镇开头：" in half_year_report(shadi, H1_2023).as_text()


def test_a_mistake_is_named_with_its_line_and_nothing_is_stored(township_officer, shadi):
    with pytest.raises(DomainError) as refused:
        save(township_officer, shadi, text="第一句。\n发放贷款{loan_borrowers}。")
    assert refused.value.code == "template_invalid"
    assert "第2行：未知的占位符 {loan_borrowers}。" in refused.value.message
    with pytest.raises(DomainError):
        save(township_officer, shadi, text="{如有 township}没有结束")
    with pytest.raises(DomainError):
        save(township_officer, shadi, text="   ")
    assert not NarrativeTemplate.objects.exists()


def test_a_stale_form_is_a_conflict(township_officer, district_officer, shadi):
    save(township_officer, shadi, base=0)
    with pytest.raises(DomainError) as refused:
        save(district_officer, shadi, text="另一种写法：", base=0)
    assert refused.value.code == "conflict"
    second = save(district_officer, shadi, text="另一种写法：", base=1)
    assert second.revision == 2
    assert NarrativeTemplate.objects.count() == 2  # revisions are kept, never overwritten


def test_saving_the_same_text_again_is_refused(township_officer, shadi):
    default = HALF_YEAR.get("summary_intro").default
    with pytest.raises(DomainError) as refused:
        save(township_officer, shadi, text=default)
    assert refused.value.code == "template_unchanged"


def test_an_unknown_slot_is_not_found(township_officer, shadi):
    with pytest.raises(DomainError) as refused:
        save(township_officer, shadi, slot="no_such_slot")
    assert refused.value.code == "not_found"


def test_conditional_wording_follows_the_data(township_officer, shadi):
    text = "{如有 loan_borrowers}贷款{loan_borrowers}。{否则}本期没有发放产业振兴信贷通贷款。{结束}"
    save(township_officer, shadi, slot="prevention", text=text)
    assert "本期没有发放产业振兴信贷通贷款。" in half_year_report(shadi, H1_2023).as_text()


def test_a_stored_revision_that_no_longer_fits_falls_back_to_the_default(township_officer, shadi):
    NarrativeTemplate.objects.create(
        report="half-year", slot="summary_intro", area=shadi, revision=1, text="{gone}"
    )
    report = half_year_report(shadi, H1_2023)
    assert "现将截至2023年6月30日的工作情况总结如下" in report.as_text()
    assert report.warnings and "未知的占位符 {gone}" in report.warnings[0]


def test_every_default_template_is_valid():
    from zhenwu.lib.document.narrative import check

    for slot in HALF_YEAR.slots:
        assert check(slot.default, slot.names) == [], slot.key
        assert set(slot.names) <= set(HALF_YEAR.labels), slot.key
