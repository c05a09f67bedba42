"""The DuckDB side of screening, free of Django so that tests and the benchmark can feed
snapshot tables directly.

Snapshot tables (one run = one in-memory database):

- ``households(household_key, category, monitored)``
- ``persons(person_key, household_key, age, labour_capacity, medical_insurance,
  receives_dibao, receives_tekun)`` — active members; ``age`` in completed years at the
  end of the period
- ``person_ids(id_hash, person_key, household_key)`` — the only place the ID-number blind
  index appears; joined once to the department records
- ``incomes(household_key, year, per_capita_income)`` — latest year <= the period's year
- ``dept_records(id_hash, department, month, kind, amount, detail)`` — department rows of
  the 12 months up to the period, as loaded

The inputs are Arrow tables that DuckDB scans in place (``load``); only the keyed ``dept``
table is materialised, because every department rule reads it.
- ``dept(person_key, household_key, department, month, kind, amount, detail)`` — the same
  rows keyed by integers (built by ``key_department_records``); rules read this one

Integer keys matter: joining 18-character ID strings was half the CPU of a run.
"""

import re
from dataclasses import dataclass

import duckdb
import pyarrow as pa

SNAPSHOT_SCHEMA: dict[str, pa.Schema] = {
    "households": pa.schema(
        [("household_key", pa.int64()), ("category", pa.string()), ("monitored", pa.bool_())]
    ),
    "persons": pa.schema(
        [
            ("person_key", pa.int64()),
            ("household_key", pa.int64()),
            ("age", pa.int32()),
            ("labour_capacity", pa.string()),
            ("medical_insurance", pa.string()),
            ("receives_dibao", pa.bool_()),
            ("receives_tekun", pa.bool_()),
        ]
    ),
    "person_ids": pa.schema(
        [("id_hash", pa.string()), ("person_key", pa.int64()), ("household_key", pa.int64())]
    ),
    "incomes": pa.schema(
        [("household_key", pa.int64()), ("year", pa.int32()), ("per_capita_income", pa.float64())]
    ),
    "dept_records": pa.schema(
        [
            ("id_hash", pa.string()),
            ("department", pa.string()),
            ("month", pa.date32()),
            ("kind", pa.string()),
            ("amount", pa.float64()),
            ("detail", pa.string()),
        ]
    ),
}
_MEMORY_LIMIT = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")


class MissingParameter(KeyError):
    """A rule binds a parameter that has no value."""


@dataclass(frozen=True)
class RuleResult:
    code: str
    columns: list[str]
    rows: list[tuple]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def connect(*, threads: int = 2, memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """An in-memory database with explicit limits (the worker shares the machine) and
    every snapshot table present, empty until loaded."""
    if not _MEMORY_LIMIT.match(memory_limit):
        raise ValueError(f"memory_limit {memory_limit!r}")
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    for name, schema in SNAPSHOT_SCHEMA.items():
        con.register(name, schema.empty_table())
    return con


def load(con, table: str, data: pa.Table | dict[str, list]) -> int:
    """Provide a snapshot table (an Arrow table or a dict of equally long columns, in
    schema order). DuckDB scans the Arrow memory in place, without a copy; loading the
    same table again replaces it."""
    schema = SNAPSHOT_SCHEMA[table]
    if isinstance(data, pa.Table):
        arrow = data.select(schema.names).cast(schema)
    else:
        arrow = pa.table(data, schema=schema)
    con.unregister(table)
    con.register(table, arrow)
    return arrow.num_rows


def key_department_records(con) -> int:
    """Join the department rows to persons once, by blind index; rows for people outside
    the snapshot drop out here. This is the only string join of a run."""
    con.execute(
        """
        CREATE OR REPLACE TABLE dept AS
        SELECT i.person_key, i.household_key, r.department, r.month, r.kind, r.amount,
               r.detail
        FROM dept_records AS r
        JOIN person_ids AS i ON i.id_hash = r.id_hash
        """
    ).fetchall()
    return con.execute("SELECT count(*) FROM dept").fetchall()[0][0]


def bind(rule, params: dict) -> dict:
    """Exactly the parameters the rule names (DuckDB refuses unused ones)."""
    missing = [name for name in rule.parameters if params.get(name) is None]
    if missing:
        raise MissingParameter(missing[0])
    return {name: params[name] for name in rule.parameters}


def evaluate(con, rules, params: dict) -> list[RuleResult]:
    """Run each rule's SQL with its parameters; rows as Python tuples."""
    results = []
    for rule in rules:
        bound = bind(rule, params)
        cursor = con.execute(rule.sql, bound) if bound else con.execute(rule.sql)
        columns = [column[0] for column in cursor.description]
        results.append(RuleResult(rule.code, columns, cursor.fetchall()))
    return results


def evaluate_arrow(con, rules, params: dict) -> dict[str, pa.Table]:
    """The same, with each rule's hits as an Arrow table (for large runs)."""
    return {
        rule.code: con.sql(rule.sql, params=bind(rule, params) or None).to_arrow_table()
        for rule in rules
    }
