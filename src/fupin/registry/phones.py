"""Mobile numbers (CN) through `phonenumbers`: the metadata knows which 1xx prefixes are mobile."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_mobile(raw: str) -> str:
    """'+86 138-0013-8000' -> '13800138000'; anything but a valid mainland mobile number is refused."""
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
