"""Pinyin keys for name search: "zhangsan" and "zs" both find 张三."""

import functools

from pypinyin import lazy_pinyin

# Surnames read differently from the everyday character (曾 is zēng, not céng).
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "乐": "yue",
    "盖": "ge",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "尉": "yu",
    "员": "yun",
    "万俟": "mo qi",
    "长孙": "zhang sun",
    "秘": "bi",
    "种": "chong",
}


@functools.lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) from one conversion; names repeat a lot, so cache them."""
    surname = next(
        (s for s in sorted(SURNAME_READINGS, key=len, reverse=True) if name.startswith(s)), ""
    )
    head = SURNAME_READINGS[surname].split() if surname else []
    syllables = head + [s for s in lazy_pinyin(name[len(surname) :], errors="ignore") if s]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


def full_pinyin(name: str) -> str:
    return name_keys(name)[0]


def pinyin_initials(name: str) -> str:
    return name_keys(name)[1]
