import datetime
import io

from zhenwu.areas.loader import load_areas_csv
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current, find_area, subtree, villages_under


def test_demo_tree_has_the_town_and_its_22_village_level_units(shadi):
    villages = list(villages_under(shadi))
    assert len(villages) == 22  # 21 村委会 + 沙地圩居委会
    assert {"螺田村", "马口村", "坳上村", "洋村", "水边村", "银村", "沙地圩居委会"} <= {
        v.name for v in villages
    }
    assert all(v.is_demo_code and len(v.code) == 12 for v in villages)


def test_paths_make_subtrees(shadi, luotian):
    assert luotian.path == "/360000/360700/360704/360704101/360704101214/"
    assert luotian.is_within(shadi) and not shadi.is_within(luotian)
    assert subtree(shadi).filter(level=AreaLevel.VILLAGE).count() == 22


def test_a_merged_village_keeps_its_old_row_with_validity_dates(shadi):
    load_areas_csv(
        io.StringIO(
            "code,name,level,parent_code,valid_from,valid_to\n"
            "360704101299,旧村,village,360704101,,2020-12-31\n"
        )
    )
    old = Area.objects.get(code="360704101299")
    assert old.valid_to == datetime.date(2020, 12, 31)
    assert old not in current()
    assert old in current(on=datetime.date(2020, 6, 1))
    assert old not in villages_under(shadi)


def test_find_area_by_code_or_unique_name(shadi):
    assert find_area("360704101") == shadi
    assert find_area("沙地镇") == shadi
    assert find_area("不存在镇") is None


def test_reloading_the_csv_updates_in_place(shadi):
    load_areas_csv(
        io.StringIO("code,name,level,parent_code\n360704101214,螺田村（新名）,village,360704101\n")
    )
    assert Area.objects.filter(code="360704101214").count() == 1
    assert Area.objects.get(code="360704101214").name == "螺田村（新名）"
