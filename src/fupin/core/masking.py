"""Masking of personal data for screens, exports, logs and the audit trail.

`6201**********1234` for ID numbers, `138****1234` for phones, last four for bank accounts.
The log filter masks anything shaped like an ID number or a mobile number in every log line.
"""

import logging
import re

ID_NUMBER_RE = re.compile(
    r"(?<![0-9])([1-9][0-9]{5})(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}([0-9Xx])(?![0-9])"
)
MOBILE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    value = str(value)
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    value = str(value)
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_account(value: str | None) -> str:
    if not value:
        return ""
    value = str(value)
    return f"{'*' * max(len(value) - 4, 0)}{value[-4:]}"


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


class MaskingLogFilter(logging.Filter):
    """Rewrites every log record so no ID number or phone reaches a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
