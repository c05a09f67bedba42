"""Pinyin keys for name search: "zhangsan" and "zs" both find 张三."""

from pypinyin import Style, lazy_pinyin


def full_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def pinyin_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
