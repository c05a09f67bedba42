import pytest

from zhenwu.lib.pinyin import full_pinyin, name_keys, pinyin_initials


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三丰", "zhangsanfeng", "zsf"),
        ("曾鹏俊", "zengpengjun", "zpj"),
        ("钟", "zhong", "z"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
    ],
)
def test_full_pinyin_and_initials(name, full, initials):
    assert name_keys(name) == (full, initials)
    assert full_pinyin(name) == full and pinyin_initials(name) == initials
