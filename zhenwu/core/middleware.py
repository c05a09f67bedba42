import logging
import uuid

from zhenwu.core import context


def client_ip(request) -> str | None:
    """The client's address for audit rows. Behind the TLS proxy (ZHENWU_BEHIND_TLS_PROXY)
    the proxy appends the real client as the last X-Forwarded-For entry; earlier entries
    are client-supplied and not trusted."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last_hop = forwarded.split(",")[-1].strip()
        if last_hop:
            return last_hop
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.META.get("HTTP_X_REQUEST_ID", "")[:64] or uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        token = context.current.set(
            context.RequestContext(request_id=request_id, ip=client_ip(request), channel=channel)
        )
        try:
            response = self.get_response(request)
        finally:
            context.current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = context.get().request_id or "-"
        return True


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose English (language cookie, set by the switch
    in the page footer). The browser's Accept-Language is honoured only by the API, so a
    township PC with an English browser still shows the Chinese UI by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        supported = {code for code, _ in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
            if request.path.startswith("/api/"):
                language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # Do not leak this request's language into the next one on the same thread.
            translation.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
