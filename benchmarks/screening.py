"""Benchmark of the screening engine (Monitoring issue, item 5).

    .venv/bin/python benchmarks/screening.py [--persons 1000000] [--threads 2]

Generates persons (about four per household), households, incomes and 12 months of
department records of all nine departments with numpy (seeded), as Arrow tables, without
Django. Then, in the same run:
  1. the engine: loads the Arrow tables into DuckDB, keys the department rows by integer
     once, and runs every rule's SQL file (engine time = all of that);
  2. a plain pandas implementation of the same rules, from the same data in memory;
and checks that both give the same (rule, household, person) hits. Needs pandas (the
``dev`` extra). The last line is machine-readable:

    persons=N engine_s=… pandas_s=… ratio=…
"""

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

from zhenwu.monitoring.engine import core  # noqa: E402
from zhenwu.monitoring.rules.catalog import enabled_rules  # noqa: E402

PARAMS = {
    "income_line": 6900.0,
    "income_margin_ratio": 0.5,
    "rural_disposable_income": 19000.0,
    "medical_ratio_lifted": 0.5,
    "medical_ratio_other": 1.0,
    "disaster_loss_threshold": 10000.0,
}
MONTHS = pd.date_range("2022-07-01", periods=12, freq="MS").date
# department: (share of persons with a row per month, kinds, amount range or None)
DEPARTMENTS = {
    "medical_insurance": (0.05, ["医疗费用"], (100, 15000)),
    "civil_affairs": (0.004, ["低保新增", "低保退出", "特困新增", "特困退出"], None),
    "education": (0.01, ["在读", "辍学", "未入学"], None),
    "housing": (0.004, ["A", "B", "C", "D"], None),
    "water": (0.002, ["水量", "水质", "取水方便", "供水保障"], None),
    "human_resources": (0.006, ["失业", "务工中断"], None),
    "public_security": (0.002, ["死亡", "迁出", "分户"], None),
    "disabled_federation": (0.002, ["视力", "肢体", "智力", "精神"], None),
    "emergency": (0.003, ["洪涝", "干旱", "风雹"], (100, 9000)),
}


# --- data -------------------------------------------------------------------------------------


def id_hashes(keys: np.ndarray) -> np.ndarray:
    """64-character hex strings standing in for the HMAC blind index of an ID number."""
    mixed = (keys.astype(np.uint64) * np.uint64(11400714819323198485)) ^ np.uint64(0x5DEECE66D)
    return np.array([f"{int(v):016x}" * 4 for v in mixed], dtype=object)


def generate(persons: int, seed: int = 42) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    household_of = np.sort(rng.integers(0, max(1, persons // 4), persons)).astype(np.int64)
    household_keys = np.unique(household_of)
    person_keys = np.arange(1, persons + 1, dtype=np.int64)
    hashes = id_hashes(person_keys)
    n_households = len(household_keys)
    tables = {
        "households": pa.table(
            {
                "household_key": household_keys,
                "category": rng.choice(
                    ["lifted", "general", "monitored"], n_households, p=[0.3, 0.65, 0.05]
                ),
                "monitored": np.zeros(n_households, dtype=bool),
            }
        ),
        "persons": pa.table(
            {
                "person_key": person_keys,
                "household_key": household_of,
                "age": rng.integers(0, 90, persons).astype(np.int32),
                "labour_capacity": rng.choice(
                    ["ordinary", "skilled", "weak", "none"], persons, p=[0.5, 0.1, 0.2, 0.2]
                ),
                "medical_insurance": rng.choice(
                    ["resident", "employee", "none"], persons, p=[0.9, 0.095, 0.005]
                ),
                "receives_dibao": rng.random(persons) < 0.05,
                "receives_tekun": rng.random(persons) < 0.01,
            }
        ),
        "person_ids": pa.table(
            {"id_hash": hashes, "person_key": person_keys, "household_key": household_of}
        ),
        "incomes": pa.table(
            {
                "household_key": household_keys,
                "year": np.full(n_households, 2022, dtype=np.int32),
                "per_capita_income": rng.normal(16000, 6000, n_households).clip(1000).round(2),
            }
        ),
    }
    parts = []
    for department, (share, kinds, amounts) in DEPARTMENTS.items():
        for month in MONTHS:
            count = int(persons * share)
            who = rng.integers(0, persons, count)
            # Some rows name people outside the registry slice (other townships).
            ids = hashes[who].copy()
            ids[rng.random(count) < 0.05] = "f" * 64
            amount = rng.uniform(*amounts, count).round(2) if amounts else np.full(count, np.nan)
            parts.append(
                pd.DataFrame(
                    {
                        "id_hash": ids,
                        "department": department,
                        "month": month,
                        "kind": rng.choice(kinds, count),
                        "amount": amount,
                        "detail": rng.choice(["一级", "二级", "三级", "四级"], count)
                        if department == "disabled_federation"
                        else "",
                    }
                )
            )
    records = pd.concat(parts, ignore_index=True)
    records["amount"] = records["amount"].astype("float64")
    tables["dept_records"] = pa.Table.from_pandas(records, preserve_index=False)
    # In the snapshot's own types, as engine/snapshot.py produces them.
    return {name: table.cast(core.SNAPSHOT_SCHEMA[name]) for name, table in tables.items()}


# --- engine -------------------------------------------------------------------------------------


def run_engine(tables: dict[str, pa.Table], threads: int) -> dict[str, pa.Table]:
    """What a run does after the snapshot: provide the tables, key the department rows
    once, evaluate every rule. Results stay Arrow tables."""
    con = core.connect(threads=threads, memory_limit="4GB")
    for name in ("households", "persons", "person_ids", "incomes", "dept_records"):
        core.load(con, name, tables[name])
    core.key_department_records(con)
    results = core.evaluate_arrow(con, enabled_rules(), PARAMS)
    con.close()
    return results


def engine_keys(results: dict[str, pa.Table]) -> dict[str, set]:
    return {
        code: set(
            zip(
                table.column("household_key").to_pylist(),
                table.column("person_key").to_pylist(),
                strict=True,
            )
        )
        for code, table in results.items()
    }


def _key(value):
    return None if value is None or value != value else int(value)


# --- pandas baseline ----------------------------------------------------------------------------


def run_pandas(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    p = PARAMS
    households, persons, incomes = frames["households"], frames["persons"], frames["incomes"]
    dept = frames["dept_records"].merge(frames["person_ids"], on="id_hash")
    hits: dict[str, pd.DataFrame] = {}

    line = p["income_line"]
    pc = incomes["per_capita_income"]
    hits["income_below_line"] = incomes[pc < line]
    hits["income_near_line"] = incomes[(pc >= line) & (pc < line * (1 + p["income_margin_ratio"]))]

    medical = dept[dept["department"] == "medical_insurance"].merge(
        households[["household_key", "category"]], on="household_key"
    )
    totals = medical.groupby(["household_key", "person_key", "category"], as_index=False)[
        "amount"
    ].sum()
    lifted = totals["category"] == "lifted"
    income = p["rural_disposable_income"]
    hits["medical_oop_lifted"] = totals[
        lifted & (totals["amount"] > p["medical_ratio_lifted"] * income)
    ]
    hits["medical_oop_other"] = totals[
        ~lifted & (totals["amount"] > p["medical_ratio_other"] * income)
    ]

    def latest(department, frame=None):
        rows = dept[dept["department"] == department] if frame is None else frame
        rows = rows.sort_values(["person_key", "month", "kind"], ascending=[True, False, False])
        return rows.drop_duplicates("person_key")

    housing = latest("housing")
    hits["house_grade_cd"] = housing[housing["kind"].isin(["C", "D"])]

    education = dept[dept["department"] == "education"].merge(
        persons[["person_key", "age"]], on="person_key"
    )
    education = latest("education", education[education["age"].between(6, 15)])
    hits["child_not_enrolled"] = education[education["kind"].isin(["辍学", "未入学"])]

    police = dept[(dept["department"] == "public_security") & dept["kind"].isin(["死亡", "分户"])]
    hits["member_died_or_split"] = police.drop_duplicates(["household_key", "person_key"])

    disabled = dept[dept["department"] == "disabled_federation"].merge(
        persons[["person_key", "receives_dibao", "receives_tekun"]], on="person_key"
    )
    disabled = disabled[~disabled["receives_dibao"] & ~disabled["receives_tekun"]]
    hits["disability_without_benefit"] = disabled.drop_duplicates(["household_key", "person_key"])

    civil = latest("civil_affairs")
    hits["lost_dibao_tekun"] = civil[civil["kind"].isin(["低保退出", "特困退出"])]

    jobs = dept[(dept["department"] == "human_resources") & dept["kind"].isin(["失业", "务工中断"])]
    jobs = jobs.merge(persons[["person_key", "labour_capacity", "age"]], on="person_key")
    jobs = jobs[jobs["labour_capacity"].isin(["ordinary", "skilled"]) & jobs["age"].between(16, 60)]
    hits["main_labourer_lost_job"] = jobs.drop_duplicates(["household_key", "person_key"])

    losses = (
        dept[dept["department"] == "emergency"]
        .groupby("household_key", as_index=False)["amount"]
        .sum()
    )
    hits["disaster_loss"] = losses[losses["amount"] > p["disaster_loss_threshold"]].assign(
        person_key=None
    )
    water = dept[dept["department"] == "water"].drop_duplicates("household_key")
    hits["water_supply_problem"] = water.assign(person_key=None)
    hits["no_basic_medical_insurance"] = persons[persons["medical_insurance"] == "none"]
    for code in ("income_below_line", "income_near_line"):
        hits[code] = hits[code].assign(person_key=None)
    return hits


def pandas_keys(hits: dict[str, pd.DataFrame]) -> dict[str, set]:
    return {
        code: {
            (int(h), _key(p_))
            for h, p_ in zip(frame["household_key"], frame["person_key"], strict=True)
        }
        for code, frame in hits.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    tables = generate(args.persons)
    rows = tables["dept_records"].num_rows
    print(
        f"generated {args.persons} persons, {tables['households'].num_rows} households, "
        f"{rows} department rows in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    frames = {name: table.to_pandas() for name, table in tables.items()}

    started = time.perf_counter()
    engine_results = run_engine(tables, args.threads)
    engine_s = time.perf_counter() - started
    engine_hits = engine_keys(engine_results)
    print(f"engine: {sum(map(len, engine_hits.values()))} hits in {engine_s:.2f} s", flush=True)

    started = time.perf_counter()
    pandas_results = run_pandas(frames)
    pandas_s = time.perf_counter() - started
    pandas_hits = pandas_keys(pandas_results)
    print(f"pandas: {sum(map(len, pandas_hits.values()))} hits in {pandas_s:.2f} s", flush=True)

    for code in sorted(engine_hits):
        same = engine_hits[code] == pandas_hits.get(code)
        print(f"  {code:30} {len(engine_hits[code]):>8} {'same' if same else 'DIFFERENT'}")
    if engine_hits != pandas_hits:
        print("MISMATCH between the engine and pandas", file=sys.stderr)
        raise SystemExit(1)
    print(
        f"persons={args.persons} engine_s={engine_s:.2f} pandas_s={pandas_s:.2f} "
        f"ratio={pandas_s / engine_s:.1f}"
    )


if __name__ == "__main__":
    main()
