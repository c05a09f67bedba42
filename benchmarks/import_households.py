"""Benchmark of the household workbook import (Foundation issue, item 7).

    .venv/bin/python benchmarks/import_households.py [--members 100000] [--keep]

Generates a workbook of N members (about 3.75 per household, every column filled the way a
township ledger is), then in the same run:
  1. reads it with python-calamine and with openpyxl (read-only) and prints the ratio;
  2. imports it with the real importer, as a dry run and for real, into a throwaway SQLite
     database under a temporary ZHENWU_HOME, and prints rows per second.
Nothing outside the temporary directory is touched.
"""

import argparse
import datetime
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SURNAMES = "刘陈钟曾谢黄李王张赖肖邱温郭罗廖杨朱胡周吴邓卢叶蔡徐何兰林江许彭"
GIVEN = "福禄寿金银财根生发华明林春荣贵水德才兴旺有清长新宝茂祥文忠国桂元秀英兰花珍梅莲凤娥香芳玉"
VILLAGES = [
    "湖溪村", "中庄村", "马口村", "银村", "水边村", "坳下村", "高峰村", "沙地村", "洋村", "石鼓村",
    "坳上村", "蟠岩村", "五龙村", "螺田村", "利群村", "西山村", "锡溪村", "攸镇村", "芳村", "里堡村",
    "岗上村",
]  # fmt: skip


def setup_django(home: Path) -> None:
    os.environ["ZHENWU_HOME"] = str(home)
    os.environ["ZHENWU_MODE"] = "demo"  # development keys; never a production database
    os.environ["DATABASE_URL"] = f"sqlite:///{home / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenwu.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    from zhenwu.areas.loader import load_areas_csv

    call_command("migrate", verbosity=0)
    load_areas_csv(REPO / "zhenwu" / "areas" / "data" / "shadi.csv")


def generate(path: Path, members: int, seed: int = 7) -> tuple[int, int]:
    """Write the workbook; return (households, members)."""
    import xlsxwriter

    from zhenwu.lib.ids import build_id_number
    from zhenwu.registry.columns import HOUSEHOLD_COLUMNS, INCOME_COLUMNS, MEMBER_COLUMNS

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheets = {
        "户信息": book.add_worksheet("户信息"),
        "成员信息": book.add_worksheet("成员信息"),
        "收入信息": book.add_worksheet("收入信息"),
    }
    sheets["户信息"].write_row(0, 0, [c.header for c in HOUSEHOLD_COLUMNS])
    sheets["成员信息"].write_row(0, 0, [c.header for c in MEMBER_COLUMNS])
    sheets["收入信息"].write_row(0, 0, [c.header for c in INCOME_COLUMNS])
    written, household, member_row = 0, 0, 1
    births: dict[datetime.date, int] = {}
    while written < members:
        household += 1
        size = min(rng.choice([1, 2, 3, 4, 4, 5, 6]), members - written)
        number = f"B{household:08d}"
        lifted = rng.random() < 0.14
        sheets["户信息"].write_row(household, 0, _household_row(rng, number, lifted))
        for index in range(size):
            birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(30_000))
            sequence = births.get(birth, 0)
            births[birth] = sequence + 1
            id_number = build_id_number("360721", birth, sequence)
            sheets["成员信息"].write_row(member_row, 0, _member_row(rng, number, id_number, index))
            member_row += 1
        sheets["收入信息"].write_row(
            household,
            0,
            [
                number,
                2022,
                rng.randrange(0, 60_000),
                rng.randrange(0, 20_000),
                0,
                rng.randrange(0, 8_000),
                rng.randrange(0, 5_000),
            ],
        )
        written += size
    book.close()
    return household, written


def _household_row(rng, number, lifted):
    return [
        number,
        rng.choice(VILLAGES),
        f"第{rng.randrange(1, 10)}组",
        "上屋",
        f"沙地镇{rng.randrange(1, 300)}号",
        f"138{rng.randrange(10**7, 10**8)}",
        "脱贫户" if lifted else "一般户",
        2016 if lifted else "",
        "一般脱贫户" if lifted else "",
        "",
        "",
        "否",
        "否",
        "",
        "因病、缺劳动力" if lifted else "",
        "正常",
        "",
    ]


def _member_row(rng, number, id_number, index):
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
    relation = ["户主", "配偶", "之子", "之女", "之孙子", "之孙女"][index]
    return [
        number,
        name,
        id_number,
        relation,
        "汉族",
        rng.choice(["小学", "初中", "高中"]),
        "非在校生",
        rng.choice(["健康", "健康", "长期慢性病"]),
        "",
        "普通劳动力",
        rng.choice(["省外", "县外省内", ""]),
        rng.randrange(0, 13),
        "城乡居民基本医疗保险",
        "是",
        "是",
        "否",
        "否",
        "",
        "",
        "正常",
    ]


def read_calamine(path: Path) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    rows = sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)
    return time.perf_counter() - started, rows


def read_openpyxl(path: Path) -> tuple[float, int]:
    import openpyxl

    started = time.perf_counter()
    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    rows = sum(sum(1 for _ in book[name].iter_rows(values_only=True)) for name in book.sheetnames)
    book.close()
    return time.perf_counter() - started, rows


def run_import(path: Path, dry_run: bool):
    from zhenwu.areas.models import Area
    from zhenwu.registry.importer import import_households

    area = Area.objects.get(code="360704101")
    started = time.perf_counter()
    result = import_households(path, area=area, actor=None, dry_run=dry_run)
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"import failed: {result.errors[:5]}")
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="zhenwu-bench-"))
    try:
        setup_django(home)
        from django.conf import settings

        settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, 2 * args.members)
        path = home / "households.xlsx"
        started = time.perf_counter()
        households, members = generate(path, args.members)
        print(
            f"workbook: {households:,} households, {members:,} members, "
            f"{path.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - started:.1f} s"
        )
        calamine_s, rows = read_calamine(path)
        openpyxl_s, rows_openpyxl = read_openpyxl(path)
        assert rows == rows_openpyxl, (rows, rows_openpyxl)
        print(
            f"read {rows:,} rows: calamine {calamine_s:.2f} s, openpyxl (read-only) "
            f"{openpyxl_s:.2f} s, ratio openpyxl_s / calamine_s = {openpyxl_s / calamine_s:.1f}"
        )
        for dry_run in (True, False):
            elapsed, result = run_import(path, dry_run)
            label = "dry run" if dry_run else "import "
            print(
                f"{label}: {result.total_rows:,} rows in {elapsed:.1f} s = "
                f"{result.total_rows / elapsed:,.0f} rows/s ({members / elapsed:,.0f} members/s); "
                f"counts {result.counts}"
            )
    finally:
        if args.keep:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
