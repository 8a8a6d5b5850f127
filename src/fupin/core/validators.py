"""Field rules written once: the form, the API and the import call the same function for a field.

Each rule takes the raw value and returns the clean one, or raises ValidationError with a Chinese
message (the import puts it at its row and column, the form under its field, the API in a 422).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# --- control characters -------------------------------------------------------------------------

# PostgreSQL refuses NUL in text, and no other C0 control character belongs in what people type;
# tabs and line breaks only in text of several lines. The API's schemas say the same as patterns.
NO_CONTROL_LINE = r"^[^\x00-\x1f]*$"
NO_CONTROL_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"


def has_control(value: str, *, multiline: bool = False) -> bool:
    """Whether `value` holds a C0 control character (tab, CR and LF are allowed when multiline)."""
    allowed = "\t\n\r" if multiline else ""
    return any(ord(c) < 32 and c not in allowed for c in value)


# --- mobile phone numbers -------------------------------------------------------------------------


def mobile_phone(raw: str) -> str:
    """'+86 138-0013-8000' -> '13800138000'; anything but a valid mainland mobile number is refused.

    Through `phonenumbers`: its metadata knows which 1xx prefixes are mobile. Fast path (the import
    checks hundreds of thousands of numbers): a plain 11-digit number is decided with phonenumbers'
    own CN patterns, applied the way `is_valid_number` / `number_type` apply them, without parsing.
    It only ever *accepts*, and only numbers that parse unchanged (no national prefix or carrier code
    to strip); anything else goes through phonenumbers itself, so results are identical.
    """
    if raw and len(raw) == 11 and _fast_mobile(raw):
        return raw
    text = (raw or "").strip()
    # Full-width digits and the plus sign come from Chinese input methods.
    text = text.translate(_FULL_WIDTH)
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("手机号码格式不正确"), code="phone_format") from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("手机号码无效"), code="phone_invalid")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("请填写手机号码(11位)"), code="phone_not_mobile")
    national = str(number.national_number)
    if len(national) != 11:
        raise ValidationError(_("请填写手机号码(11位)"), code="phone_not_mobile")
    return national


_FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF0B: ord("+"), 0x3000: ord(" ")}


def _desc_matcher(desc):
    """desc -> a function saying whether an 11-digit national number matches it, as phonenumbers does
    (the possible lengths first, then the whole pattern)."""
    if desc is None or desc.national_number_pattern is None:
        return lambda _number: False
    lengths = desc.possible_length or ()
    if lengths and 11 not in lengths:
        return lambda _number: False
    return re.compile(f"(?:{desc.national_number_pattern})").fullmatch


def _build_fast_mobile():
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    general, mobile = _desc_matcher(meta.general_desc), _desc_matcher(meta.mobile)
    # number_type() tries these before fixed line and mobile: a match makes the number not a mobile.
    others = [
        _desc_matcher(getattr(meta, name))
        for name in (
            "premium_rate",
            "toll_free",
            "shared_cost",
            "voip",
            "personal_number",
            "pager",
            "uan",
            "voicemail",
        )
    ]
    strip = re.compile(meta.national_prefix_for_parsing or "(?!)").match
    shape = re.compile(r"1[0-9]{10}").fullmatch

    def fast(number: str) -> bool:
        return bool(
            number.isascii()
            and shape(number)
            and not strip(number)  # parse() would strip a carrier code or prefix: leave it to phonenumbers
            and general(number)
            and mobile(number)
            and not any(other(number) for other in others)
        )

    return fast


_fast_mobile = _build_fast_mobile()


# --- bank accounts ------------------------------------------------------------------------------

# Mainland account numbers: bank cards are 16–19 digits, older passbook and corporate accounts
# shorter or longer; below 8 or above 30 digits is a typing error, not an account.


def bank_account(raw: str) -> str:
    """'6222 0212 3456 7890' -> '6222021234567890'; only ASCII digits of a plausible length pass."""
    digits = "".join(str(raw or "").split())
    if not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 30):
        raise ValidationError(_("银行账号应为 8 至 30 位数字"), code="bank_account")
    return digits


# --- years --------------------------------------------------------------------------------------


def _whole_year(raw) -> int:
    """An int or its text as a whole number; Excel's "1985.0" is 1985, "1985.5" is refused."""
    try:
        number = Decimal(str(raw).strip())
        year = int(number)
    except (InvalidOperation, ValueError, OverflowError):
        raise ValidationError(_("请输入四位年份"), code="year_format") from None
    if number != year:
        raise ValidationError(_("请输入四位年份"), code="year_format")
    return year


def past_year(raw) -> int:
    """A year that has happened (建房年份 …): a whole number from 1900 to this year.

    Takes an int or its text; Excel's "1985.0" is 1985, "1985.5" is refused."""
    year = _whole_year(raw)
    this_year = timezone.localdate().year
    if not 1900 <= year <= this_year:
        raise ValidationError(_("年份应在1900年至%(year)d年之间") % {"year": this_year}, code="year_range")
    return year


# --- dates --------------------------------------------------------------------------------------

# Records of this system start with the project library's first years; an earlier date is a typo.
EARLIEST_DATE = datetime.date(2010, 1, 1)


def past_date(raw, *, earliest: datetime.date = EARLIEST_DATE) -> datetime.date:
    """A date that has happened (a ledger entry's 业务日期 …): from `earliest` to today.

    Takes a date or its ISO text ("2024-05-06"); a datetime counts as its date."""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if not isinstance(raw, datetime.date):
        try:
            raw = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValidationError(_("请输入日期(YYYY-MM-DD)"), code="date_format") from None
    today = timezone.localdate()
    if raw > today:
        raise ValidationError(
            _("日期不能晚于今天(%(today)s)") % {"today": today.isoformat()}, code="date_future"
        )
    if raw < earliest:
        raise ValidationError(
            _("日期不能早于%(earliest)s") % {"earliest": earliest.isoformat()}, code="date_too_old"
        )
    return raw


# --- collecting every error of a write ----------------------------------------------------------

# A service checks every field of a write before refusing it, so one answer lists every problem (the
# form shows each under its field, the API answers one 422). Each rule below returns the clean
# value and puts its message under `field` in `errors`; `raise_errors` then refuses the write.


def raise_errors(errors: dict) -> None:
    """Refuse the write with the errors collected so far (a ValidationError keyed by field), if any."""
    if errors:
        raise ValidationError(errors)


def text(
    errors: dict, field: str, value, *, max_length: int, required: bool = False, single_line=False
) -> str:
    """Trimmed text of at most `max_length` characters and no control characters but tabs and line
    breaks; `single_line` also folds every run of whitespace, line breaks too, into one space."""
    value = str(value or "").strip()
    if single_line:
        value = " ".join(value.split())
    if required and not value:
        errors[field] = _("此项为必填项")
    elif len(value) > max_length:
        errors[field] = _("最多%(n)d个字") % {"n": max_length}
    elif has_control(value, multiline=True):
        errors[field] = _("含有不允许的控制字符")
    return value


CENT = Decimal("0.01")


def money(
    errors: dict,
    field: str,
    value,
    *,
    required: bool = True,
    positive: bool = False,
    negative: bool = False,
    limit: Decimal = Decimal("1e10"),
) -> Decimal:
    """A yuan amount with at most two decimals, below `limit` in size; never through a float.

    Not negative unless `negative` (a business loss), not zero if `positive`; a missing value is 0
    when not `required`. Thousands separators are dropped ("1,200.50"): a comma is never a decimal
    point in Chinese figures."""
    if value in (None, ""):
        if required:
            errors[field] = _("此项为必填项")
        return Decimal(0)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors[field] = _("请输入金额(元)")
        return Decimal(0)
    if not amount.is_finite() or abs(amount) >= limit:
        errors[field] = _("金额超出范围")
        return Decimal(0)
    if amount < 0 and not negative:
        errors[field] = _("金额不能为负数")
    elif positive and amount == 0:
        errors[field] = _("金额必须大于零")
    if amount != amount.quantize(CENT):
        errors[field] = _("金额最多保留两位小数")
    return amount.quantize(CENT)


def year(
    errors: dict, field: str, value, *, required: bool = True, earliest: int = 1900, latest=None
) -> int | None:
    """A whole year from `earliest` to `latest` (this year unless given); None when missing or wrong."""
    if value in (None, ""):
        if required:
            errors[field] = _("此项为必填项")
        return None
    try:
        number = _whole_year(value)
    except ValidationError as exc:
        errors[field] = exc.messages[0]
        return None
    last = timezone.localdate().year if latest is None else latest
    if not earliest <= number <= last:
        errors[field] = _("年份应在%(first)d年至%(last)d年之间") % {"first": earliest, "last": last}
        return None
    return number
