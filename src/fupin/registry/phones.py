"""Mobile numbers (CN) through `phonenumbers`: the metadata knows which 1xx prefixes are mobile.

Fast path (the import checks hundreds of thousands of numbers): a plain 11-digit number is decided
with phonenumbers' own CN patterns, applied the way `is_valid_number` / `number_type` apply them,
without parsing. It only ever *accepts*, and only numbers that parse unchanged (no national prefix
or carrier code to strip); anything else goes through phonenumbers itself, so results are identical.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_mobile(raw: str) -> str:
    """'+86 138-0013-8000' -> '13800138000'; anything but a valid mainland mobile number is refused."""
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
