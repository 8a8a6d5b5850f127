"""The language of a request: 简体中文 unless the user chose otherwise with the language switch.

Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an English
browser got English pages. A Chinese government system opens in Chinese whatever the browser says;
English is a choice the user makes in the top bar, remembered in the language cookie that
`set_language` sets."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


def chosen_language(request) -> str:
    """The language cookie's language when it is one we offer, else the default (zh-hans)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LanguageMiddleware(MiddlewareMixin):
    """In place of django.middleware.locale.LocaleMiddleware (the project has no i18n URL patterns)."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the cookie, never on Accept-Language: caches must key on the cookie.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
