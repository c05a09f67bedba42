"""Server-side masking of personal data (SECURITY.md 10).

The ID mask keeps the first three and the last four characters and never the birth
digits 7-14; a phone keeps the first three and last four; a bank account its last four.
"""


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    number = str(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    phone = str(phone)
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_bank_account(account: str | None) -> str:
    if not account:
        return ""
    account = str(account)
    return "*" * max(len(account) - 4, 0) + account[-4:]


def mask_name(name: str | None) -> str:
    """张三丰 → 张*丰; 张三 → 张*. Used where even names should not show in full."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
