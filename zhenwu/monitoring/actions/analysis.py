"""Monthly analysis (每月一研判) writes: draft the figures, record the meeting, finalise.

One analysis per township and month. While it is a draft its figures can be refreshed;
once final they are frozen (the minutes must show what the meeting saw)."""

import datetime

from django.db import transaction
from django.db.models import F

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.dates import first_of_month
from zhenwu.monitoring.choices import AnalysisStatus
from zhenwu.monitoring.figures import monthly_figures
from zhenwu.monitoring.models import MonthlyAnalysis

MAX_TEXT = 5_000


def _authorize(actor, township) -> None:
    require_perm(actor, Perm.MONTHLY_ANALYSIS)
    if township is None or township.level != AreaLevel.TOWNSHIP:
        raise DomainError("area_level")
    require_area(actor, township, Perm.MONTHLY_ANALYSIS)


def _bump_version(analysis: MonthlyAnalysis, expected_version: int, actor) -> None:
    """Optimistic lock: the row must still carry the version the editor started from."""
    updated = MonthlyAnalysis.objects.filter(pk=analysis.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise DomainError("conflict")
    analysis.version = expected_version + 1
    analysis.updated_by = actor


def _expected(analysis: MonthlyAnalysis, expected_version: int | None) -> int:
    return analysis.version if expected_version is None else expected_version


def _require_draft(analysis: MonthlyAnalysis) -> None:
    if analysis.status != AnalysisStatus.DRAFT:
        raise DomainError("illegal_transition")


@transaction.atomic
def do_draft_analysis(township, month: datetime.date, *, actor) -> MonthlyAnalysis:
    """Create the month's draft, or refresh the figures of the existing draft."""
    _authorize(actor, township)
    month = first_of_month(month)
    analysis = (
        MonthlyAnalysis.objects.select_for_update().filter(township=township, month=month).first()
    )
    created = analysis is None
    if created:
        analysis = MonthlyAnalysis(township=township, month=month, created_by=actor)
    else:
        _require_draft(analysis)
        _bump_version(analysis, analysis.version, actor)
    analysis.figures = monthly_figures(township, month)
    analysis.updated_by = actor
    analysis.save()
    audit.record(
        "monitoring.analysis_drafted",
        actor=actor,
        obj=analysis,
        data={"township": township.code, "month": month.isoformat(), "created": created},
    )
    return analysis


@transaction.atomic
def do_record_meeting(
    analysis: MonthlyAnalysis,
    *,
    actor,
    meeting_on: datetime.date,
    attendees: str,
    decisions: str,
    follow_ups: str,
    expected_version: int | None = None,
) -> MonthlyAnalysis:
    """The meeting record (研判会议): date, attendees, decisions, follow-ups.
    ``expected_version`` is the version the form was rendered from (default: as loaded)."""
    _authorize(actor, analysis.township)
    _require_draft(analysis)
    if meeting_on is None:
        raise DomainError("meeting_missing")
    values = {
        "attendees": (attendees or "").strip()[:MAX_TEXT],
        "decisions": (decisions or "").strip()[:MAX_TEXT],
        "follow_ups": (follow_ups or "").strip()[:MAX_TEXT],
    }
    _bump_version(analysis, _expected(analysis, expected_version), actor)
    before = {"meeting_on": str(analysis.meeting_on or ""), **_texts(analysis)}
    analysis.meeting_on = meeting_on
    for field, value in values.items():
        setattr(analysis, field, value)
    analysis.save()
    after = {"meeting_on": str(meeting_on), **_texts(analysis)}
    audit.record(
        "monitoring.analysis_meeting",
        actor=actor,
        obj=analysis,
        data={"changes": audit.diff(before, after)},
    )
    return analysis


def _texts(analysis: MonthlyAnalysis) -> dict:
    return {f: getattr(analysis, f) for f in ("attendees", "decisions", "follow_ups")}


@transaction.atomic
def do_finalize_analysis(
    analysis: MonthlyAnalysis, *, actor, expected_version: int | None = None
) -> MonthlyAnalysis:
    """定稿: needs the meeting record; the figures are frozen from here on."""
    _authorize(actor, analysis.township)
    _require_draft(analysis)
    if analysis.meeting_on is None or not analysis.decisions:
        raise DomainError("meeting_missing")
    _bump_version(analysis, _expected(analysis, expected_version), actor)
    analysis.status = AnalysisStatus.FINAL
    analysis.save()
    audit.record(
        "monitoring.analysis_finalized",
        actor=actor,
        obj=analysis,
        data={"township": analysis.township.code, "month": analysis.month.isoformat()},
    )
    return analysis


def record_docx_export(analysis: MonthlyAnalysis, *, actor) -> None:
    """Audit the download of the minutes (.docx); the caller has checked access."""
    audit.record(
        "monitoring.analysis_exported",
        actor=actor,
        obj=analysis,
        data={"format": "docx", "month": analysis.month.isoformat()},
    )
