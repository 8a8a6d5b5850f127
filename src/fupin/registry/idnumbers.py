"""Citizen ID numbers (居民身份证号, GB 11643-1999): normalisation and validation.

Why not python-stdnum's `cn.ric.validate`: it checks the area code against a table of the codes
that existed at the birth date, so it rejects valid numbers whose area code was created after the
birth year (620102 城关区 with 1980 births: people keep the number of their first registration, and
re-registered people get the new code), and it raises KeyError instead of a validation error for
some codes missing from its table. We check what the standard itself fixes — length, characters,
the ISO 7064 MOD 11-2 check digit, a real birth date, a known province — and nothing historical.
The check digit is tested against stdnum's `calc_check_digit` with Hypothesis.
"""

import datetime
from dataclasses import dataclass
from operator import mul

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# The 31 provinces of the mainland plus 71 台湾, 81 香港, 82 澳门 (GB/T 2260 first two digits).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK_CHARS = "10X98765432"
_ZERO_SUM = 48 * sum(_WEIGHTS)  # the weighted sum of "0" * 17 in ASCII codes
_BIRTHS: dict[str, datetime.date | None] = {}  # "YYYYMMDD" -> the date, or None if not a date
_MAX_BIRTHS = 100_000

# Full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) and the ideographic space, as typed with a Chinese IME.
_FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULL_WIDTH |= {0xFF21 + i: ord("A") + i for i in range(26)}
_FULL_WIDTH |= {0xFF41 + i: ord("a") + i for i in range(26)}


@dataclass(frozen=True)
class IdNumber:
    """A validated ID number and what it says about its holder."""

    value: str
    birth_date: datetime.date
    sex: str  # "M" or "F", from the 17th digit (odd: male)
    province_code: str
    area_code: str


def check_digit(body: str) -> str:
    """The 18th character for a 17-digit body (ISO 7064 MOD 11-2)."""
    if len(body) == 17 and body.isascii() and body.isdigit():
        # ASCII codes times the weights, less what the code of "0" adds: one C-level pass.
        return _CHECK_CHARS[(sum(map(mul, body.encode(), _WEIGHTS)) - _ZERO_SUM) % 11]
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(raw: str) -> str:
    """Strip spaces, full-width characters to ASCII, lower-case x to X. Does not validate."""
    text = (raw or "").translate(_FULL_WIDTH)
    return "".join(text.split()).upper()


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Normalise and validate; a ValidationError (code id_length, id_chars, id_check, id_birth,
    id_province) says what is wrong, in Chinese."""
    if raw and len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and raw[17] in "0123456789Xx":
        value = raw if raw[17] != "x" else raw.upper()  # already normal: nothing to translate or strip
    else:
        value = normalize_id_number(raw)
    if len(value) != 18:
        raise ValidationError(_("身份证号应为18位,当前为%(n)d位") % {"n": len(value)}, code="id_length")
    body, last = value[:17], value[17]
    if not (body.isascii() and body.isdigit()) or last not in "0123456789X":
        raise ValidationError(_("身份证号只能由数字和末位的X组成"), code="id_chars")
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号的省份代码 %(code)s 不存在") % {"code": value[:2]}, code="id_province"
        )
    birth = _birth_date(body[6:14])
    if birth is None:
        raise ValidationError(_("身份证号中的出生日期不是有效日期"), code="id_birth")
    today = today or timezone.localdate()
    if not EARLIEST_BIRTH <= birth <= today:
        raise ValidationError(_("身份证号中的出生日期应在1900年1月1日至今天之间"), code="id_birth")
    if check_digit(body) != last:
        raise ValidationError(_("身份证号校验码不正确,请核对"), code="id_check")
    return IdNumber(
        value=value,
        birth_date=birth,
        sex="M" if int(body[16]) % 2 else "F",
        province_code=value[:2],
        area_code=value[:6],
    )


def _birth_date(digits: str) -> datetime.date | None:
    """'19800131' -> the date, None if there is no such day (cached: a file has a few ten thousand dates)."""
    try:
        return _BIRTHS[digits]
    except KeyError:
        pass
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        birth = None
    if len(_BIRTHS) < _MAX_BIRTHS:
        _BIRTHS[digits] = birth
    return birth


def make_id_number(*, area_code: str, birth_date: datetime.date, sequence: int, male: bool) -> str:
    """An ID number with the right check digit (for the generator and tests). `sequence` 0..499
    gives the 15th-17th digits with the sex parity applied."""
    order = (sequence % 500) * 2 + (1 if male else 0)
    body = f"{area_code}{birth_date:%Y%m%d}{order:03d}"
    return body + check_digit(body)
