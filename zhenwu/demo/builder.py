"""Build the 沙地镇 demo: area tree, one account per role, and the town's households imported
from a generated workbook through the real importer (DEMO.md: the demo runs the real code
paths, never writes final figures into tables)."""

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from zhenwu.areas.loader import load_areas_csv
from zhenwu.areas.models import Area
from zhenwu.demo.accounts import DEMO_ACCOUNTS, IMPORTING_ACCOUNT, create_demo_accounts
from zhenwu.demo.generator import AREAS_CSV, TOWNSHIP_CODE, generate_town
from zhenwu.demo.workbook import write_workbook
from zhenwu.registry.choices import HouseholdCategory
from zhenwu.registry.models import Household, Person

WORKBOOK_NAME = "shadi-demo-households.xlsx"
# Below this size the town may lack the lifted households the monitoring demo needs.
MIN_MONITORING_HOUSEHOLDS = 500


class DemoBuildError(RuntimeError):
    """The demo could not be built (non-empty database, or the import found problems)."""


@dataclass
class DemoSummary:
    households: int
    people: int
    lifted_households: int
    villages: int
    accounts: list = field(default_factory=list)
    import_counts: dict = field(default_factory=dict)
    workbook: Path | None = None
    monitoring: object = None  # MonitoringDemoSummary
    assistance: object = None  # AssistanceDemoSummary
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def build_demo(
    *,
    households: int = 11000,
    seed: int = 2023,
    stdout=None,
    workdir: Path | None = None,
    monitoring: bool = True,
    assistance: bool = True,
    visit_share: float | None = None,
) -> DemoSummary:
    """Build the demo into an empty (migrated) database; returns what was built."""
    out = stdout or sys.stdout
    if Household.objects.exists():
        raise DemoBuildError("the database already holds households; use zhenwu demo --reset")
    timings: dict[str, float] = {}
    with _timed(timings, "areas+accounts"):
        load_areas_csv(AREAS_CSV)
        users = create_demo_accounts()
    with _timed(timings, "generate"):
        town = generate_town(households=households, seed=seed)
    workbook = (workdir or settings.ZHENWU_HOME / "demo") / WORKBOOK_NAME
    with _timed(timings, "workbook"):
        write_workbook(town, workbook)
    _say(
        out,
        f"生成沙地镇：{len(town.villages)} 个村（居），{len(town.households)} 户，"
        f"{town.people} 人，其中脱贫户 {town.lifted_households} 户；写入 {workbook}",
    )
    with _timed(timings, "import"):
        counts = _import(workbook, users[IMPORTING_ACCOUNT], out)
    monitoring_summary = None
    if monitoring and households < MIN_MONITORING_HOUSEHOLDS:
        _say(
            out, f"户数少于 {MIN_MONITORING_HOUSEHOLDS}，不生成监测演示（需 18 户新纳入监测对象）。"
        )
    elif monitoring:
        from zhenwu.demo.monitoring import DEFAULT_VISIT_SHARE, build_monitoring_demo

        with _timed(timings, "monitoring"):
            monitoring_summary = build_monitoring_demo(
                users=users,
                seed=seed,
                workdir=workdir,
                visit_share=DEFAULT_VISIT_SHARE if visit_share is None else visit_share,
                stdout=out,
            )
        for line in monitoring_summary.lines():
            _say(out, line)
    assistance_summary = None
    if assistance and households >= MIN_MONITORING_HOUSEHOLDS:
        from zhenwu.demo.assistance import build_assistance_demo

        with _timed(timings, "assistance"):
            assistance_summary = build_assistance_demo(users, seed, stdout=out)
        for line in assistance_summary.lines():
            _say(out, line)
    if assistance and households >= MIN_MONITORING_HOUSEHOLDS:
        from zhenwu.demo.relocation import build_relocation_demo

        with _timed(timings, "relocation"):
            for line in build_relocation_demo(users, seed, stdout=out).lines():
                _say(out, line)
    from zhenwu.demo.projects import build_projects_demo

    with _timed(timings, "projects"):
        for line in build_projects_demo(users, seed, stdout=out).lines():
            _say(out, line)
    from zhenwu.demo.workplans import build_workplans_demo

    with _timed(timings, "workplans"):
        for line in build_workplans_demo(users, seed, stdout=out).lines():
            _say(out, line)
    from zhenwu.demo.indicators import build_indicators_demo

    with _timed(timings, "indicators"):
        for line in build_indicators_demo(users, seed, stdout=out).lines():
            _say(out, line)
    from zhenwu.demo.reports import build_reports_demo

    with _timed(timings, "reports"):
        for line in build_reports_demo(users, stdout=out):
            _say(out, line)
    summary = DemoSummary(
        households=Household.objects.count(),
        people=Person.objects.count(),
        lifted_households=Household.objects.filter(category=HouseholdCategory.LIFTED).count(),
        villages=len(town.villages),
        accounts=list(DEMO_ACCOUNTS),
        import_counts=counts,
        workbook=workbook,
        timings=timings,
        monitoring=monitoring_summary,
        assistance=assistance_summary,
    )
    steps = "，".join(f"{name} {sec:.1f}s" for name, sec in timings.items())
    _say(out, f"构建用时 {summary.seconds:.1f}s（{steps}）")
    return summary


def _import(workbook: Path, actor, out) -> dict:
    from zhenwu.registry.importer import import_households

    township = Area.objects.get(code=TOWNSHIP_CODE)
    last_shown = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last_shown[0] >= 2:
            last_shown[0] = now
            _say(out, f"  导入中：已校验 {done}/{total} 行")

    result = import_households(
        workbook, area=township, actor=actor, progress=progress, filename=workbook.name
    )
    if not result.ok:
        problems = "; ".join(
            f"{e.sheet} 第{e.row}行 {e.column}: {e.message}" for e in result.errors[:10]
        )
        raise DemoBuildError(f"demo import failed ({len(result.errors)} problems): {problems}")
    _say(out, "导入完成：" + "，".join(f"{k} {v}" for k, v in result.counts.items()))
    return dict(result.counts)


@contextmanager
def _timed(timings: dict, name: str):
    started = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - started


def _say(out, text: str) -> None:
    out.write(text + "\n")
    if hasattr(out, "flush"):
        out.flush()
