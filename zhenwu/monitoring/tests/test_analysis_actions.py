import datetime

import pytest
from django.db import IntegrityError, transaction

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.analysis import (
    do_draft_analysis,
    do_finalize_analysis,
    do_record_meeting,
)
from zhenwu.monitoring.figures import figure_value
from zhenwu.monitoring.models import Clue, MonthlyAnalysis
from zhenwu.monitoring.tests.test_analysis_data import build_june

D = datetime.date


@pytest.fixture
def june(world):
    return build_june(world)


MEETING = {
    "meeting_on": D(2023, 7, 3),
    "attendees": "镇党委书记、镇长、各村支书",
    "decisions": "新纳入1户3人；1户超期须本周办结。",
    "follow_ups": "螺田村完成剩余走访。",
}


def test_one_draft_per_township_and_month_refreshed(june, township_officer, shadi, luotian):
    first = do_draft_analysis(shadi, D(2023, 6, 20), actor=township_officer)
    assert first.month == D(2023, 6, 1) and figure_value(first.figures, "clues") == 3
    Clue.objects.create(village=luotian, channel="cadre_screening", reported_on=D(2023, 6, 29))
    again = do_draft_analysis(shadi, D(2023, 6, 1), actor=township_officer)
    assert again.pk == first.pk and again.version == first.version + 1
    assert figure_value(again.figures, "clues") == 4
    assert MonthlyAnalysis.objects.filter(township=shadi).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyAnalysis.objects.create(township=shadi, month=D(2023, 6, 1))
    assert AuditEvent.objects.filter(event="monitoring.analysis_drafted").count() == 2


def test_permission_scope_and_level(june, luotian_cadre, township_officer, shadi, luotian):
    with pytest.raises(DomainError) as error:
        do_draft_analysis(shadi, D(2023, 6, 1), actor=luotian_cadre)
    assert error.value.code == "permission_denied"
    with pytest.raises(DomainError) as error:
        do_draft_analysis(luotian, D(2023, 6, 1), actor=township_officer)
    assert error.value.code == "area_level"
    with pytest.raises(DomainError) as error:
        do_draft_analysis(june.other_township, D(2023, 6, 1), actor=township_officer)
    assert error.value.code == "out_of_scope"


def test_meeting_record_and_conflict(june, township_officer, district_officer, shadi):
    analysis = do_draft_analysis(shadi, D(2023, 6, 1), actor=township_officer)
    stale = MonthlyAnalysis.objects.get(pk=analysis.pk)
    do_record_meeting(
        analysis, actor=township_officer, expected_version=analysis.version, **MEETING
    )
    analysis.refresh_from_db()
    assert analysis.meeting_on == D(2023, 7, 3) and analysis.attendees.startswith("镇党委书记")
    with pytest.raises(DomainError) as error:
        do_record_meeting(stale, actor=district_officer, **{**MEETING, "decisions": "覆盖"})
    assert error.value.code == "conflict"
    analysis.refresh_from_db()
    assert analysis.decisions == MEETING["decisions"]
    event = AuditEvent.objects.filter(event="monitoring.analysis_meeting").get()
    assert "decisions" in event.data["changes"]


def test_finalize_needs_meeting_and_freezes(june, township_officer, shadi, luotian):
    analysis = do_draft_analysis(shadi, D(2023, 6, 1), actor=township_officer)
    with pytest.raises(DomainError) as error:
        do_finalize_analysis(analysis, actor=township_officer)
    assert error.value.code == "meeting_missing"
    do_record_meeting(analysis, actor=township_officer, **MEETING)
    do_finalize_analysis(analysis, actor=township_officer)
    analysis.refresh_from_db()
    assert analysis.status == "final"
    frozen = analysis.figures
    Clue.objects.create(village=luotian, channel="cadre_screening", reported_on=D(2023, 6, 29))
    for attempt in (
        lambda: do_draft_analysis(shadi, D(2023, 6, 1), actor=township_officer),
        lambda: do_record_meeting(analysis, actor=township_officer, **MEETING),
        lambda: do_finalize_analysis(analysis, actor=township_officer),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "illegal_transition"
    analysis.refresh_from_db()
    assert analysis.figures == frozen
