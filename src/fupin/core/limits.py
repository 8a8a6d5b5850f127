"""Request size limits, refused before a byte of the body is read (413, in Chinese, never a 500).

Which limit covers what (README, "Configuration"):

- FUPIN_UPLOAD_MAX_BYTES (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 20 MB): a body that is not a file
  upload — a form post, an API call's JSON — and the non-file fields of a multipart upload;
- FUPIN_IMPORT_MAX_BYTES (200 MB): one import file, checked by the import itself; with 1 MB for the
  form around it, it is also the ceiling of any multipart (file-carrying) request, checked here;
- FUPIN_PHOTO_MAX_BYTES (5 MB): one photo, checked by core.photos when it is saved.

Django reads a multipart body in chunks and spools files over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
to disk; that setting is a memory threshold, not a limit. Without the ceiling here a file upload had
no size limit at all until the view looked at it.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MULTIPART_OVERHEAD = 1024 * 1024  # the other fields and part headers of an upload form


def max_body_bytes(content_type: str) -> int:
    if content_type.startswith("multipart/form-data"):
        return settings.FUPIN_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request, limit: int):
    megabytes = f"{limit / 1024 / 1024:.0f}"
    reason = _("请求内容过大(上限 %(mb)s MB),未被处理。") % {"mb": megabytes}
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": reason}, status=413, json_dumps_params={"ensure_ascii": False})
    else:
        html = render_to_string("413.html", {"reason": reason}, request=request)
        response = HttpResponse(html, status=413)
    response["Connection"] = "close"  # the rest of the body is not read
    return response


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_body_bytes(request.META.get("CONTENT_TYPE", ""))
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)
