"""The report demo for 沙地镇: the township's own wording for one part of the half-year
report, saved through ``reports.actions.save_template`` under the demo clock (10 July
2023, while the H1 summary was being written).

社会和谐稳定 (safety, petitions, anti-crime work, rule of law) has no ledger in Zhenwu yet,
so its default sentence asks the township to write it; the demo township did, as its
officers would, in the report's style."""

import datetime
import sys

from zhenwu.areas.models import Area
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.demo.monitoring import LOCAL_TZ, demo_clock
from zhenwu.reports.actions import save_template
from zhenwu.reports.halfyear_slots import REPORT

SAVED_AT = datetime.datetime(2023, 7, 10, 9, 30, tzinfo=LOCAL_TZ)
STABILITY_SLOT = "livelihood_stability"
STABILITY_TEXT = """二是维护社会和谐稳定。
压实安全生产责任，{period}全镇未发生重特大安全事故；
常态化推进扫黑除恶，严厉打击电信网络诈骗；
做好信访重点人员稳控和矛盾纠纷化解；
推进法治政府建设，提升基层社会治理水平。"""


def build_reports_demo(users: dict, *, stdout=None) -> list[str]:
    out = stdout or sys.stdout
    out.write("保存沙地镇半年工作总结的本镇措辞…\n")
    township = Area.objects.get(code=TOWNSHIP_CODE)
    with demo_clock(SAVED_AT):
        row = save_template(
            users["township_officer"],
            report=REPORT,
            slot=STABILITY_SLOT,
            area=township,
            text=STABILITY_TEXT,
            base_revision=0,
            note="补充安全生产、信访维稳等工作情况",
        )
    return [f"报告措辞：沙地镇“社会和谐稳定”段落第{row.revision}版"]
