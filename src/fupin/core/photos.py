"""Photos from the field (visits, meetings): only real JPEG, PNG or WebP images under the size limit.

The type is decided by the file's first bytes, never by its name or the browser's claim, so a
script renamed to .jpg is refused. (Pillow would decode the whole image; the first bytes are all a
stored, never-transformed photo needs.) The size limit is FUPIN_PHOTO_MAX_BYTES.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def max_bytes() -> int:
    return settings.FUPIN_PHOTO_MAX_BYTES


def max_mb() -> str:
    """The limit in MB for messages and help texts ("5", "0.5")."""
    return f"{max_bytes() / 1024 / 1024:g}"


def sniff_image(head: bytes) -> str | None:
    """The image type of a file by its first bytes, or None."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_type(upload) -> str | None:
    """The content type of an upload by its first bytes (the file position is kept at 0)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return sniff_image(head)


def check_photo(upload) -> str:
    """The content type of an acceptable upload; a ValidationError with a Chinese reason otherwise."""
    if upload.size > max_bytes():
        raise ValidationError(
            _("照片“%(name)s”超过 %(mb)s MB") % {"name": upload.name, "mb": max_mb()}, code="too_large"
        )
    content_type = photo_type(upload)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s”不是 JPEG、PNG 或 WebP 图片") % {"name": upload.name}, code="not_image"
        )
    return content_type
