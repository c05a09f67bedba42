"""线索 (clues) from the three lines: cadre screening, self-declaration, department data.

One open thing per household: a household with an open clue (new/verifying) or an open
monitoring case gets no second clue (``duplicate_clue``). Status changes follow
``states.CLUE_TRANSITIONS``.

Self-declaration is public (no login). It never tells the resident whether an ID number is
registered: every accepted submission gets the same answer, a duplicate only adds a note.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit, ratelimit
from zhenwu.core.crypto import blind_index
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.ids import IdNumberError, parse_id_number
from zhenwu.lib.masking import mask_id_number
from zhenwu.monitoring.choices import Channel, ClueStatus
from zhenwu.monitoring.models import OPEN_CASE_STATUSES, Clue, MonitoringCase
from zhenwu.monitoring.states import CLUE_TRANSITIONS, check_transition
from zhenwu.registry.choices import RiskType
from zhenwu.registry.models import Household, Person

OPEN_CLUE_STATUSES = (ClueStatus.NEW, ClueStatus.VERIFYING)
MAX_RISK_TYPES = 5
# Public form limits (SECURITY.md: rate-limited per IP and per ID number).
DECLARATIONS_PER_IP = 5
DECLARATIONS_PER_IP_WINDOW = datetime.timedelta(hours=1)
DECLARATIONS_PER_ID = 3
DECLARATIONS_PER_ID_WINDOW = datetime.timedelta(days=1)


# --- shared checks ---------------------------------------------------------------------------


def _require_village(village) -> None:
    if village is None or village.level != AreaLevel.VILLAGE:
        raise DomainError("area_level")


def _clean_risk_types(risk_types) -> list[str]:
    codes = list(dict.fromkeys(str(getattr(c, "value", c)) for c in risk_types or ()))
    if len(codes) > MAX_RISK_TYPES or any(c not in RiskType.values for c in codes):
        raise DomainError("invalid_risk_types")
    return codes


def open_clue_of(household) -> Clue | None:
    return (
        Clue.objects.filter(household=household, status__in=OPEN_CLUE_STATUSES)
        .order_by("-reported_on", "-id")
        .first()
    )


def has_open_case(household) -> bool:
    return MonitoringCase.objects.filter(
        household=household, status__in=OPEN_CASE_STATUSES
    ).exists()


def _lock_household(household) -> None:
    """Serialise clue creation per household so that two reporters cannot both pass the
    duplicate check."""
    Household.objects.select_for_update().filter(pk=household.pk).first()


def _check_not_duplicate(household) -> None:
    if open_clue_of(household) is not None or has_open_case(household):
        raise DomainError("duplicate_clue")


def _clue_audit(clue: Clue) -> dict:
    return {
        "channel": clue.channel,
        "village": clue.village.code,
        "household": str(clue.household.public_id) if clue.household_id else None,
        "risk_types": clue.risk_types,
        "reported_on": clue.reported_on,
    }


# --- cadre screening and department lines -----------------------------------------------------


@transaction.atomic
def do_report_clue(
    *,
    actor,
    village,
    channel,
    reported_on,
    household=None,
    person=None,
    risk_types=(),
    description="",
    visit=None,
    rule_hit=None,
) -> Clue:
    """Record a clue for a village (and usually a household of it). Perm.MANAGE_CLUES in
    the village; DomainError("duplicate_clue") when the household has an open clue or case."""
    require_perm(actor, Perm.MANAGE_CLUES)
    _require_village(village)
    require_area(actor, village, Perm.MANAGE_CLUES)
    if channel not in Channel.values:
        raise DomainError("invalid_channel")
    if person is not None and household is None:
        household = person.household
    if person is not None and person.household_id != household.pk:
        raise DomainError("household_not_in_village")
    if household is not None:
        if household.village_id != village.pk:
            raise DomainError("household_not_in_village")
        _lock_household(household)
        _check_not_duplicate(household)
    clue = Clue.objects.create(
        village=village,
        household=household,
        person=person,
        channel=channel,
        reported_on=reported_on,
        risk_types=_clean_risk_types(risk_types),
        description=(description or "").strip(),
        visit=visit,
        rule_hit=rule_hit,
        created_by=actor,
        updated_by=actor,
    )
    audit.record("monitoring.clue_reported", actor=actor, obj=clue, data=_clue_audit(clue))
    return clue


# --- self-declaration (public) -----------------------------------------------------------------


def _parse_declared_id(id_number) -> str:
    try:
        return parse_id_number(id_number).number
    except IdNumberError as error:
        raise DomainError("invalid_id_number", reason=error.reason) from None


def _check_rate_limits(ip, number: str) -> None:
    """Count this attempt per IP and per ID number. Runs outside the write transaction, so
    refused attempts still count; a refusal is audited (masked ID only)."""
    for scope, key, limit, window in (
        ("declare_ip", ip or "unknown", DECLARATIONS_PER_IP, DECLARATIONS_PER_IP_WINDOW),
        ("declare_id", number, DECLARATIONS_PER_ID, DECLARATIONS_PER_ID_WINDOW),
    ):
        try:
            ratelimit.hit(scope, key, limit=limit, window=window)
        except DomainError:
            audit.record(
                "monitoring.self_declaration_refused",
                outcome=AuditOutcome.DENIED,
                object_type="monitoring.clue",
                data={"limit": scope, "id_masked": mask_id_number(number)},
                username="public",
            )
            raise


def _match_household(id_hash: str, village):
    """The declarant's own registered household, only when it lies in the chosen village."""
    person = (
        Person.objects.select_related("household")
        .filter(id_hash=id_hash, household__village=village)
        .first()
    )
    return (person.household, person) if person else (None, None)


def _existing_open_declaration(household, id_hash, village) -> Clue | None:
    if household is not None:
        return open_clue_of(household)
    return (
        Clue.objects.filter(
            village=village, declarant_id_hash=id_hash, status__in=OPEN_CLUE_STATUSES
        )
        .order_by("-id")
        .first()
    )


def _append_note(clue: Clue, reported_on, description: str, actor) -> None:
    note = f"[{reported_on:%Y-%m-%d} 再次申报] {description}".strip()
    clue.description = f"{clue.description}\n{note}".strip()
    clue.updated_by = actor
    clue.version += 1
    clue.save(update_fields=["description", "updated_by", "version", "updated_at"])


def do_submit_self_declaration(
    *,
    name,
    id_number,
    village,
    phone,
    risk_types,
    description,
    ip,
    reported_on=None,
    actor=None,
) -> Clue | None:
    """农户自主申报. Public (``actor`` None: rate-limited per IP and per ID number) or entered
    by staff on the resident's behalf (``actor`` with Perm.MANAGE_CLUES in the village).

    Returns the new clue, or the open clue the declaration was added to (None when the
    household already has an open case): the caller shows the same page either way."""
    number = _parse_declared_id(id_number)
    _require_village(village)
    codes = _clean_risk_types(risk_types)
    name, phone = (name or "").strip()[:50], (phone or "").strip()[:20]
    if not name:
        raise DomainError("declarant_name_missing")
    if actor is None:
        _check_rate_limits(ip, number)
    else:
        require_perm(actor, Perm.MANAGE_CLUES)
        require_area(actor, village, Perm.MANAGE_CLUES)
    reported_on = reported_on or timezone.localdate()
    with transaction.atomic():
        return _store_declaration(
            actor=actor,
            name=name,
            number=number,
            village=village,
            phone=phone,
            risk_types=codes,
            description=(description or "").strip(),
            reported_on=reported_on,
        )


def _store_declaration(
    *, actor, name, number, village, phone, risk_types, description, reported_on
):
    id_hash = blind_index(number)
    household, person = _match_household(id_hash, village)
    audit_data = {
        "village": village.code,
        "id_masked": mask_id_number(number),
        "matched": household is not None,
        "on_behalf": actor is not None,
    }
    username = "" if actor is not None else "public"
    if household is not None:
        _lock_household(household)
    existing = _existing_open_declaration(household, id_hash, village)
    if existing is not None or (household is not None and has_open_case(household)):
        if existing is not None:
            _append_note(existing, reported_on, description, actor)
        audit.record(
            "monitoring.self_declaration_duplicate",
            actor=actor,
            obj=existing,
            object_type="monitoring.clue",
            data=audit_data,
            username=username,
        )
        return existing
    clue = Clue.objects.create(
        village=village,
        household=household,
        person=person,
        channel=Channel.SELF_DECLARED,
        reported_on=reported_on,
        risk_types=risk_types,
        description=description,
        declarant_name=name,
        declarant_phone=phone,
        declarant_id_number=number,
        declarant_id_hash=id_hash,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "monitoring.self_declaration_received",
        actor=actor,
        obj=clue,
        data=audit_data,
        username=username,
    )
    return clue


# --- verification and dismissal ---------------------------------------------------------------


def _locked(clue: Clue, actor) -> Clue:
    require_perm(actor, Perm.MANAGE_CLUES)
    require_area(actor, clue.village, Perm.MANAGE_CLUES)
    return Clue.objects.select_for_update().select_related("village").get(pk=clue.pk)


def _move(clue: Clue, locked: Clue, target: str, actor, **fields) -> None:
    """Apply the transition to the locked row and mirror it on the caller's object."""
    check_transition(CLUE_TRANSITIONS, locked.status, target)
    before = locked.status
    changes = {"status": target, "updated_by": actor, "version": locked.version + 1, **fields}
    for obj in (locked, clue):
        for name, value in changes.items():
            setattr(obj, name, value)
    locked.save()
    audit.record(
        f"monitoring.clue_{target}",
        actor=actor,
        obj=locked,
        data={"status": [before, target], **fields},
    )


@transaction.atomic
def do_start_verifying(clue: Clue, *, actor) -> Clue:
    """待核实 → 核实中."""
    locked = _locked(clue, actor)
    _move(clue, locked, ClueStatus.VERIFYING, actor)
    return clue


@transaction.atomic
def do_dismiss_clue(clue: Clue, *, actor, reason) -> Clue:
    """不予纳入, with the reason (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_missing")
    locked = _locked(clue, actor)
    _move(clue, locked, ClueStatus.DISMISSED, actor, dismissed_reason=reason)
    return clue
