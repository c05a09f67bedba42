"""run_screening(area, period, *, actor) -> RuleRun: snapshot, rules, hits, clues.

The DuckDB part runs outside any database transaction; the results are then written in one
transaction that first removes the slice's previous results (idempotent per area and
period). Called by the worker task and the ``zhenwu screen`` command, never in a request."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.monitoring.choices import Channel, ClueStatus, ParameterKey, RunStatus
from zhenwu.monitoring.engine import core
from zhenwu.monitoring.engine.snapshot import Window, take_snapshot
from zhenwu.monitoring.models import Clue, RuleHit, RuleRun
from zhenwu.monitoring.rules.catalog import BY_CODE, enabled_rules
from zhenwu.registry.models import Household

logger = logging.getLogger(__name__)
MAX_RISK_TYPES = 5


@dataclass
class Outcome:
    hits: list[RuleHit] = field(default_factory=list)
    clues_created: int = 0
    duplicates: int = 0
    already_monitored: int = 0
    not_filed: int = 0  # console run without a user: hits stored, no clue filed


def engine_settings() -> dict:
    """DuckDB limits for a run (settings.SCREENING_DUCKDB overrides the defaults)."""
    return {"threads": 2, "memory_limit": "1GB", **getattr(settings, "SCREENING_DUCKDB", {})}


def request_screening(area, period: datetime.date, *, actor) -> RuleRun:
    """Record a pending run (the view then enqueues the task). Audited."""
    _authorize(actor, area)
    with transaction.atomic():
        run = RuleRun.objects.create(
            area=area, period=period.replace(day=1), created_by=actor, updated_by=actor
        )
        audit.record(
            "monitoring.screening_requested",
            actor=actor,
            obj=run,
            data={"area": area.code, "period": run.period.isoformat()},
        )
    return run


def run_screening(area, period: datetime.date, *, actor, run: RuleRun | None = None) -> RuleRun:
    """Evaluate every enabled rule over ``area`` for the month ``period``. ``actor`` None is
    the server console: no permission check; hits are stored but clues are filed only on
    behalf of a user (``zhenwu screen --user``), since filing a clue needs MANAGE_CLUES."""
    _authorize(actor, area)
    window = Window.of(period)
    if run is None:
        run = RuleRun.objects.create(area=area, period=window.period, created_by=actor)
    _mark(run, status=RunStatus.RUNNING, started_at=timezone.now(), error="")
    try:
        params = _parameters(area, window)
        rules = enabled_rules()
        with core.connect(**engine_settings()) as con:
            counts = take_snapshot(con, area, window)
            results = core.evaluate(con, rules, params)
        run.persons_count = counts.persons
        outcome = _store(run, results, params, actor=actor, window=window)
    except DomainError as error:
        _mark(run, status=RunStatus.FAILED, finished_at=timezone.now(), error=error.message)
        raise
    except core.MissingParameter as missing:
        error = DomainError("parameter_missing", key=_parameter_label(missing.args[0]))
        _mark(run, status=RunStatus.FAILED, finished_at=timezone.now(), error=error.message)
        raise error from None
    except Exception:
        logger.exception("screening run %s failed", run.public_id)
        _mark(
            run,
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=_t("筛查运行发生内部错误。"),
        )
        raise
    run.duplicates = outcome.duplicates
    run.already_monitored = outcome.already_monitored
    run.not_filed = outcome.not_filed
    return run


def _authorize(actor, area) -> None:
    if area is None or area.level > AreaLevel.VILLAGE:
        raise DomainError("area_level")
    if actor is None:
        return
    try:
        require_perm(actor, Perm.RUN_RULES)
        require_area(actor, area, Perm.RUN_RULES)
    except DomainError:
        audit.record(
            "monitoring.screening_run",
            actor=actor,
            outcome=AuditOutcome.DENIED,
            object_type="areas.area",
            object_id=area.code,
            data={"area": area.code},
        )
        raise


def _mark(run: RuleRun, **fields) -> None:
    RuleRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


def _parameters(area, window: Window) -> dict:
    """Every parameter key, as float for DuckDB; missing keys stay None (a rule that binds
    one then fails the run with parameter_missing)."""
    from zhenwu.monitoring.parameters import parameters_on

    values = parameters_on(area, window.end)
    return {key: _number(values.get(key)) for key in ParameterKey.values}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _parameter_label(key: str) -> str:
    return str(ParameterKey(key).label) if key in ParameterKey.values else key


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 2)
    return value


def _store(run: RuleRun, results, params: dict, *, actor, window: Window) -> Outcome:
    outcome = Outcome()
    with transaction.atomic():
        replaced = _replace_slice(run)
        for result in results:
            rule = BY_CODE[result.code]
            bound = {name: params[name] for name in rule.parameters}
            for record in result.records():
                household_key = record.pop("household_key")
                person_key = record.pop("person_key")
                outcome.hits.append(
                    RuleHit(
                        run=run,
                        rule_code=rule.code,
                        rule_version=rule.version,
                        risk_type=rule.risk_type,
                        household_id=household_key,
                        person_id=person_key,
                        params=bound,
                        inputs={k: _json_value(v) for k, v in record.items()},
                    )
                )
        RuleHit.objects.bulk_create(outcome.hits, batch_size=2_000)
        _file_clues(run, outcome, actor=actor, window=window)
        _mark(
            run,
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now(),
            hits_count=len(outcome.hits),
            clues_created=outcome.clues_created,
            persons_count=run.persons_count,
        )
        audit.record(
            "monitoring.screening_run",
            actor=actor,
            obj=run,
            data={
                "area": run.area.code,
                "period": run.period.isoformat(),
                "hits": len(outcome.hits),
                "clues_created": outcome.clues_created,
                "duplicates": outcome.duplicates,
                "already_monitored": outcome.already_monitored,
                "not_filed": outcome.not_filed,
                "replaced_runs": replaced,
                "rules": {r.code: r.version for r in enabled_rules()},
            },
        )
    return outcome


def _replace_slice(run: RuleRun) -> int:
    """Remove earlier runs of the same area and month: the clues they filed that nobody has
    touched yet (still new), then the runs with their hits."""
    earlier = RuleRun.objects.filter(area=run.area, period=run.period).exclude(pk=run.pk)
    untouched = Clue.objects.filter(
        rule_hit__run__in=earlier, channel=Channel.DEPARTMENT, status=ClueStatus.NEW
    )
    for clue in untouched:
        audit.record(
            "monitoring.clue_withdrawn",
            obj=clue,
            data={"reason": "screening_rerun", "run": str(run.public_id)},
        )
    untouched.delete()
    count = earlier.count()
    earlier.delete()
    return count


def _file_clues(run: RuleRun, outcome: Outcome, *, actor, window: Window) -> None:
    """One clue per household per run, with the risk types and rules of all its hits."""
    from zhenwu.monitoring.actions.clues import do_report_clue

    by_household: dict[int, list[RuleHit]] = defaultdict(list)
    for hit in outcome.hits:
        by_household[hit.household_id].append(hit)
    households = Household.objects.select_related("village").in_bulk(list(by_household))
    reported_on = min(timezone.localdate(), window.end)
    for household_id, hits in by_household.items():
        household = households[household_id]
        if household.monitoring_category and household.risk_status != "eliminated":
            outcome.already_monitored += 1
            continue
        if actor is None:
            outcome.not_filed += 1
            continue
        risk_types = list(dict.fromkeys(hit.risk_type for hit in hits))[:MAX_RISK_TYPES]
        titles = "、".join(dict.fromkeys(str(BY_CODE[hit.rule_code].title) for hit in hits))
        try:
            do_report_clue(
                actor=actor,
                village=household.village,
                channel=Channel.DEPARTMENT,
                reported_on=reported_on,
                household=household,
                risk_types=risk_types,
                description=_t("部门数据筛查预警（%(period)s）：%(rules)s")
                % {"period": run.period.strftime("%Y-%m"), "rules": titles},
                rule_hit=hits[0],
            )
        except DomainError as error:
            if error.code != "duplicate_clue":
                raise
            outcome.duplicates += 1
        else:
            outcome.clues_created += 1
