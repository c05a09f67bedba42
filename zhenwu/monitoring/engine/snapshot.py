"""Copy the registry slice of an area and the department rows of a 12-month window into the
engine's snapshot tables, with Django primary keys as the integer surrogate keys."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from zhenwu.lib.ids import age_on
from zhenwu.lib.periods import _add_months
from zhenwu.monitoring.engine import core
from zhenwu.monitoring.models import DepartmentRecord
from zhenwu.registry.choices import HouseholdStatus, PersonStatus, RiskStatus
from zhenwu.registry.models import Household, IncomeRecord, Person

WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Window:
    """The period (a month) and the 12 months up to it."""

    start: datetime.date  # first day of the earliest month
    period: datetime.date  # first day of the period month
    end: datetime.date  # last day of the period month

    @classmethod
    def of(cls, period: datetime.date) -> "Window":
        period = period.replace(day=1)
        end = _add_months(period, 1) - datetime.timedelta(days=1)
        return cls(_add_months(period, 1 - WINDOW_MONTHS), period, end)


@dataclass(frozen=True)
class SnapshotCounts:
    households: int
    persons: int
    incomes: int
    department_rows: int
    department_matched: int


def take_snapshot(con, area, window: Window) -> SnapshotCounts:
    households = Household.objects.filter(
        village__path__startswith=area.path, status=HouseholdStatus.ACTIVE
    )
    n_households = _load_households(con, households)
    n_persons = _load_persons(con, households, window.end)
    n_incomes = _load_incomes(con, households, window.end.year)
    n_rows = _load_department_rows(con, area, window)
    matched = core.key_department_records(con)
    return SnapshotCounts(n_households, n_persons, n_incomes, n_rows, matched)


def _load_households(con, households) -> int:
    keys, categories, monitored = [], [], []
    for pk, category, monitoring_category, risk_status in households.values_list(
        "pk", "category", "monitoring_category", "risk_status"
    ):
        keys.append(pk)
        categories.append(category)
        # Monitored and not yet eliminated: already in the procedure, no new clue.
        monitored.append(bool(monitoring_category) and risk_status != RiskStatus.ELIMINATED)
    return core.load(
        con,
        "households",
        {"household_key": keys, "category": categories, "monitored": monitored},
    )


def _load_persons(con, households, on: datetime.date) -> int:
    columns = {
        name: []
        for name in (
            "person_key",
            "household_key",
            "age",
            "labour_capacity",
            "medical_insurance",
            "receives_dibao",
            "receives_tekun",
        )
    }
    ids = {"id_hash": [], "person_key": [], "household_key": []}
    rows = Person.objects.filter(household__in=households, status=PersonStatus.ACTIVE)
    for row in rows.values_list(
        "pk",
        "household_id",
        "birth_date",
        "labour_capacity",
        "medical_insurance",
        "receives_dibao",
        "receives_tekun",
        "id_hash",
    ):
        pk, household_id, birth_date, labour, insurance, dibao, tekun, id_hash = row
        for name, value in zip(
            columns,
            (pk, household_id, age_on(birth_date, on), labour, insurance, dibao, tekun),
            strict=True,
        ):
            columns[name].append(value)
        ids["id_hash"].append(id_hash)
        ids["person_key"].append(pk)
        ids["household_key"].append(household_id)
    core.load(con, "person_ids", ids)
    return core.load(con, "persons", columns)


def _load_incomes(con, households, year: int) -> int:
    latest: dict[int, tuple] = {}
    rows = IncomeRecord.objects.filter(household__in=households, year__lte=year).order_by("year")
    for household_id, row_year, per_capita in rows.values_list(
        "household_id", "year", "per_capita_net_income"
    ):
        latest[household_id] = (row_year, float(per_capita))
    return core.load(
        con,
        "incomes",
        {
            "household_key": list(latest),
            "year": [value[0] for value in latest.values()],
            "per_capita_income": [value[1] for value in latest.values()],
        },
    )


def _load_department_rows(con, area, window: Window) -> int:
    """Rows of datasets for this area, an area above it (a county-wide file) or below it."""
    ancestors = [p for p in _ancestor_paths(area.path)]
    overlapping = Q(dataset__area__path__startswith=area.path) | Q(
        dataset__area__path__in=ancestors
    )
    rows = DepartmentRecord.objects.filter(
        overlapping, month__gte=window.start, month__lte=window.period
    )
    columns = {name: [] for name in ("id_hash", "department", "month", "kind", "amount", "detail")}
    for id_hash, department, month, kind, amount, attributes in rows.values_list(
        "id_hash", "dataset__department", "month", "kind", "amount", "attributes"
    ):
        columns["id_hash"].append(id_hash)
        columns["department"].append(department)
        columns["month"].append(month)
        columns["kind"].append(kind)
        columns["amount"].append(None if amount is None else float(amount))
        columns["detail"].append(str((attributes or {}).get("detail", "")))
    return core.load(con, "dept_records", columns)


def _ancestor_paths(path: str) -> list[str]:
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes) - 1)]
