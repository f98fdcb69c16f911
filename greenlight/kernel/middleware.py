"""Language choice: Chinese unless the user picked another language (cookie)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


class LanguageMiddleware:
    """Like Django's LocaleMiddleware, but ignores Accept-Language: officials' machines often
    run English browsers, and the platform's default is zh-Hans; the switcher sets a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
