import logging
import uuid

from zhenwu.core import context


def client_ip(request) -> str | None:
    # Behind a proxy the deployment sets REMOTE_ADDR correctly (gunicorn --forwarded-allow-ips).
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
