"""Everything derived from a member's name and ID number, in one place."""

from zhenwu.core.crypto import blind_index
from zhenwu.lib.ids import IdNumberError, parse_id_number
from zhenwu.lib.masking import mask_id_number
from zhenwu.lib.pinyin import full_pinyin, pinyin_initials

ID_ERROR_MESSAGES = {
    "length": "身份证号应为18位",
    "format": "身份证号格式不正确（前17位须为数字，末位为数字或X）",
    "checksum": "身份证号校验位不正确",
    "birth_date": "身份证号中的出生日期无效",
}


def apply_id_number(person, raw) -> None:
    """Validate and set the ID number with its derived fields; raises IdNumberError."""
    facts = parse_id_number(raw)
    person.id_number = facts.number
    person.id_hash = blind_index(facts.number)
    person.id_masked = mask_id_number(facts.number)
    person.id_last4 = facts.number[-4:]
    person.birth_date = facts.birth_date
    person.sex = facts.sex


def apply_name(person, name: str) -> None:
    person.name = name
    person.name_pinyin = full_pinyin(name)
    person.name_initials = pinyin_initials(name)


def id_hash_of(raw) -> str | None:
    try:
        return blind_index(parse_id_number(raw).number)
    except IdNumberError:
        return None
