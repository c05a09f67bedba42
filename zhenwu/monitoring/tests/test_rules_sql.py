"""Each screening rule's SQL, table-driven on tiny snapshot tables (no Django database)."""

import datetime

import pytest
import sqlglot

from zhenwu.monitoring.engine import core
from zhenwu.monitoring.rules.catalog import BY_CODE, RULES, all_parameters

PARAMS = {
    "income_line": 6800.0,
    "income_margin_ratio": 0.5,
    "rural_disposable_income": 20000.0,
    "medical_ratio_lifted": 0.5,
    "medical_ratio_other": 1.0,
    "disaster_loss_threshold": 10000.0,
}
M = datetime.date  # months are first days


def person(
    key, household, *, age=40, labour="ordinary", insurance="resident", dibao=False, tekun=False
):
    return (key, household, age, labour, insurance, dibao, tekun)


def snapshot(*, households=(), persons=(), incomes=(), records=()):
    """households: (key, category); persons: person(); records: (person_key, department,
    month, kind, amount, detail). Every person's ID hash is f"h{key}"."""
    con = core.connect(threads=1, memory_limit="256MB")
    core.load(
        con,
        "households",
        _columns(
            ["household_key", "category", "monitored"], [(k, c, False) for k, c in households]
        ),
    )
    core.load(
        con,
        "persons",
        _columns(
            [
                "person_key",
                "household_key",
                "age",
                "labour_capacity",
                "medical_insurance",
                "receives_dibao",
                "receives_tekun",
            ],
            persons,
        ),
    )
    core.load(
        con,
        "person_ids",
        _columns(
            ["id_hash", "person_key", "household_key"], [(f"h{p[0]}", p[0], p[1]) for p in persons]
        ),
    )
    core.load(con, "incomes", _columns(["household_key", "year", "per_capita_income"], incomes))
    core.load(
        con,
        "dept_records",
        _columns(
            ["id_hash", "department", "month", "kind", "amount", "detail"],
            [(f"h{r[0]}", *r[1:]) for r in records],
        ),
    )
    core.key_department_records(con)
    return con


def _columns(names, rows):
    rows = list(rows)
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def hits(con, code, params=PARAMS):
    [result] = core.evaluate(con, [BY_CODE[code]], params)
    return sorted((r["household_key"], r["person_key"]) for r in result.records())


def evaluate_one(con, code):
    [result] = core.evaluate(con, [BY_CODE[code]], PARAMS)
    return result.records()


HOUSEHOLDS = [(1, "lifted"), (2, "general"), (3, "general")]


@pytest.mark.parametrize(
    ("code", "income", "expected"),
    [
        ("income_below_line", 6799.99, True),
        ("income_below_line", 6800.0, False),
        ("income_near_line", 6800.0, True),
        ("income_near_line", 10199.99, True),
        ("income_near_line", 10200.0, False),
        ("income_near_line", 6000.0, False),
    ],
)
def test_income_rules(code, income, expected):
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 1)], incomes=[(1, 2022, income)])
    assert hits(con, code) == ([(1, None)] if expected else [])


@pytest.mark.parametrize(
    ("household", "amounts", "code", "expected"),
    [
        (1, [6000.0, 4000.01], "medical_oop_lifted", True),  # > 50% of 20000
        (1, [6000.0, 4000.0], "medical_oop_lifted", False),  # exactly 10000
        (2, [6000.0, 4000.01], "medical_oop_lifted", False),  # not a 脱贫户
        (2, [15000.0, 5000.01], "medical_oop_other", True),  # > 100%
        (2, [15000.0, 4000.0], "medical_oop_other", False),
        (1, [15000.0, 5000.01], "medical_oop_other", False),  # 脱贫户 use the other rule
    ],
)
def test_medical_out_of_pocket(household, amounts, code, expected):
    records = [
        (10, "medical_insurance", M(2023, m + 1, 1), "医疗费用", a, "")
        for m, a in enumerate(amounts)
    ]
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, household)], records=records)
    assert hits(con, code) == ([(household, 10)] if expected else [])


def test_medical_hit_carries_its_inputs():
    records = [(10, "medical_insurance", M(2023, 1, 1), "医疗费用", 12000.0, "")]
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 1)], records=records)
    [row] = evaluate_one(con, "medical_oop_lifted")
    assert row["oop_12m"] == 12000.0 and row["threshold"] == 10000.0


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        (["C"], True),
        (["D"], True),
        (["B"], False),
        ([("D", 1), ("A", 5)], False),  # repaired: the latest grade counts
        ([("A", 1), ("C", 5)], True),
    ],
)
def test_house_grade(grades, expected):
    records = []
    for grade in grades:
        grade, month = grade if isinstance(grade, tuple) else (grade, 3)
        records.append((10, "housing", M(2023, month, 1), grade, None, ""))
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 2)], records=records)
    assert hits(con, "house_grade_cd") == ([(2, 10)] if expected else [])


@pytest.mark.parametrize(
    ("age", "statuses", "expected"),
    [
        (10, ["辍学"], True),
        (6, ["未入学"], True),
        (15, ["辍学"], True),
        (16, ["辍学"], False),
        (5, ["未入学"], False),
        (10, ["在读"], False),
        (10, [("辍学", 2), ("在读", 4)], False),  # back at school
    ],
)
def test_child_not_enrolled(age, statuses, expected):
    records = []
    for status in statuses:
        status, month = status if isinstance(status, tuple) else (status, 3)
        records.append((10, "education", M(2023, month, 1), status, None, ""))
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 2, age=age)], records=records)
    assert hits(con, "child_not_enrolled") == ([(2, 10)] if expected else [])


@pytest.mark.parametrize(("kind", "expected"), [("死亡", True), ("分户", True), ("迁出", False)])
def test_member_died_or_split(kind, expected):
    records = [(10, "public_security", M(2023, 2, 1), kind, None, "")]
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 2)], records=records)
    assert hits(con, "member_died_or_split") == ([(2, 10)] if expected else [])


@pytest.mark.parametrize(
    ("dibao", "tekun", "expected"),
    [(False, False, True), (True, False, False), (False, True, False)],
)
def test_disability_without_benefit(dibao, tekun, expected):
    records = [(10, "disabled_federation", M(2023, 2, 1), "肢体", None, "二级")]
    con = snapshot(
        households=HOUSEHOLDS, persons=[person(10, 2, dibao=dibao, tekun=tekun)], records=records
    )
    assert hits(con, "disability_without_benefit") == ([(2, 10)] if expected else [])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (["低保退出"], True),
        (["特困退出"], True),
        (["低保新增"], False),
        ([("低保退出", 2), ("低保新增", 5)], False),
        ([("特困新增", 2), ("特困退出", 5)], True),
    ],
)
def test_lost_dibao_tekun(changes, expected):
    records = []
    for change in changes:
        change, month = change if isinstance(change, tuple) else (change, 3)
        records.append((10, "civil_affairs", M(2023, month, 1), change, None, ""))
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 2)], records=records)
    assert hits(con, "lost_dibao_tekun") == ([(2, 10)] if expected else [])


@pytest.mark.parametrize(
    ("age", "labour", "kind", "expected"),
    [
        (35, "ordinary", "失业", True),
        (35, "skilled", "务工中断", True),
        (35, "weak", "失业", False),
        (65, "ordinary", "失业", False),
        (15, "ordinary", "失业", False),
    ],
)
def test_main_labourer_lost_job(age, labour, kind, expected):
    records = [(10, "human_resources", M(2023, 2, 1), kind, None, "")]
    con = snapshot(
        households=HOUSEHOLDS, persons=[person(10, 2, age=age, labour=labour)], records=records
    )
    assert hits(con, "main_labourer_lost_job") == ([(2, 10)] if expected else [])


@pytest.mark.parametrize(
    ("losses", "expected"), [([6000.0, 4000.01], True), ([10000.0], False), ([], False)]
)
def test_disaster_loss(losses, expected):
    records = [
        (10, "emergency", M(2023, i + 1, 1), "洪涝", loss, "") for i, loss in enumerate(losses)
    ]
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 3)], records=records)
    assert hits(con, "disaster_loss") == ([(3, None)] if expected else [])


def test_water_supply_problem():
    records = [(10, "water", M(2023, 2, 1), "水质", None, "")]
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 3), person(11, 2)], records=records)
    assert hits(con, "water_supply_problem") == [(3, None)]


@pytest.mark.parametrize(
    ("insurance", "expected"), [("none", True), ("resident", False), ("", False)]
)
def test_no_basic_medical_insurance(insurance, expected):
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 1, insurance=insurance)])
    assert hits(con, "no_basic_medical_insurance") == ([(1, 10)] if expected else [])


def test_department_rows_of_unknown_people_drop_out():
    records = [(99, "public_security", M(2023, 2, 1), "死亡", None, "")]
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 2)], records=records)
    assert con.execute("SELECT count(*) FROM dept").fetchone()[0] == 0


def test_a_missing_parameter_is_reported():
    con = snapshot(households=HOUSEHOLDS, persons=[person(10, 1)], incomes=[(1, 2022, 100.0)])
    with pytest.raises(core.MissingParameter):
        core.evaluate(con, [BY_CODE["income_below_line"]], {"income_line": None})


def test_catalog_matches_the_sql_files():
    files = {path.stem for path in BY_CODE["income_below_line"].sql_path.parent.glob("*.sql")}
    assert files == {rule.code for rule in RULES}
    assert set(all_parameters()) <= set(PARAMS)
    for rule in RULES:
        assert rule.sql.startswith(f"-- {rule.code} v{rule.version} ")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_transpiles_to_spark(rule):
    [spark] = sqlglot.transpile(rule.sql, read="duckdb", write="spark")
    assert "household_key" in spark


def test_connection_limits_are_explicit():
    con = core.connect(threads=1, memory_limit="300MB")
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1
    with pytest.raises(ValueError):
        core.connect(memory_limit="1GB'; DROP TABLE x; --")
