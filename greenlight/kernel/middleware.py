"""The platform's own middleware: language choice (Chinese unless the user picked another
language), and the edge's answers for oversized bodies and database outages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils import translation
from django.utils.translation import check_for_language

from . import edge


class LanguageMiddleware:
    """Like Django's LocaleMiddleware, but ignores Accept-Language: officials' machines often
    run English browsers, and the platform's default is zh-Hans; the switcher sets a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        # for this request only: the thread's language is restored after it (a worker's next
        # job, a test's next step, never runs in the last visitor's language)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class EdgeMiddleware:
    """Outermost guard: a body over the limit gets 413 before anything reads it, and a request
    the database fails under gets 503 (kernel/edge.py), whichever layer met the outage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > edge.max_body_bytes(request):
            return edge.too_large(request)
        malformed = edge.malformed_body(request)
        if malformed is not None:
            return malformed
        try:
            return self.get_response(request)
        except RequestDataTooBig:
            return edge.too_large(request)
        except edge.OUTAGE_ERRORS as exc:
            if not edge.is_outage(exc):
                raise
            return edge.unavailable(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return edge.too_large(request)
        if edge.is_outage(exception):
            return edge.unavailable(request, exception)
        return None
