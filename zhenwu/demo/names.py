"""Names and places for the generated 沙地镇: common 赣南 surnames, given-name characters by
generation and sex, natural-village names. All invented combinations; any likeness to a real
person is chance."""

import random

# (surname, weight). Hakka 赣南 is dominated by a handful of clans.
# fmt: off
SURNAMES = [
    ("刘", 9), ("陈", 8), ("钟", 7), ("曾", 6), ("谢", 6), ("黄", 6), ("李", 6), ("王", 5),
    ("张", 5), ("赖", 5), ("肖", 5), ("邱", 4), ("温", 4), ("郭", 4), ("罗", 4), ("廖", 4),
    ("杨", 3), ("朱", 3), ("胡", 2), ("周", 2), ("吴", 2), ("邓", 2), ("卢", 2), ("叶", 2),
    ("蔡", 1), ("徐", 1), ("何", 1), ("兰", 1), ("林", 1), ("江", 1), ("许", 1), ("彭", 1),
]
# fmt: on

# Given-name characters by birth cohort, then sex ("1" male, "2" female).
GIVEN_CHARACTERS = {
    "old": {
        "1": "福禄寿金银财根生发华明林春荣贵水德才兴旺有清长新宝茂祥文忠国桂元",
        "2": "秀英兰花桂珍梅莲凤娥香芳玉娇菊招娣满金冬春翠仙",
    },
    "middle": {
        "1": "建军伟强平勇斌辉华明亮峰涛鹏海林东春文国志红永小斌荣俊剑",
        "2": "丽红燕霞艳萍玲娟琴芳敏静英华兰梅凤春秀小丹莉慧",
    },
    "young": {
        "1": "浩宇轩子涵俊杰博文睿泽豪晨鑫磊辰逸宸梓航铭瑞诚凯",
        "2": "欣怡雨萱梓涵佳琪婷思诗语嘉雅颖婉馨可心悦彤妍菲",
    },
}

NATURAL_VILLAGES = (
    "上屋 下屋 新屋 老屋 围里 塘背 坑口 岭下 田心 河背 禾场 排上 圳下 松树下 樟树下 大屋 坝上 "
    "桥头 石岗 竹园 长岭 湾里 水口 寨下 垇背 黄泥塘 枫树下 岗背 社背 车头"
).split()
TOWN_STREETS = "圩镇老街 新街 105国道沿线 板鸭街 河堤路 学校路".split()
GROUP_NUMERALS = "一二三四五六七八九十"


def cohort_of(birth_year: int) -> str:
    if birth_year < 1966:
        return "old"
    if birth_year < 1995:
        return "middle"
    return "young"


def pick_surname(rng: random.Random) -> str:
    names, weights = zip(*SURNAMES, strict=True)
    return rng.choices(names, weights)[0]


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    characters = GIVEN_CHARACTERS[cohort_of(birth_year)][sex]
    if rng.random() < 0.18:
        return rng.choice(characters)
    return rng.choice(characters) + rng.choice(characters)


def group_name(number: int) -> str:
    """1 → 第一组, 12 → 第十二组."""
    if number <= 10:
        return f"第{GROUP_NUMERALS[number - 1]}组"
    tens, ones = divmod(number, 10)
    prefix = "" if tens == 1 else GROUP_NUMERALS[tens - 1]
    return f"第{prefix}十{GROUP_NUMERALS[ones - 1] if ones else ''}组"
