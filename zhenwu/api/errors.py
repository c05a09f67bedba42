"""One error format for the whole API: ``{"code": ..., "message": ...}``.

``code`` is stable for clients; ``message`` is translated into the request's language
(LocaleMiddleware reads Accept-Language). Validation errors (422) add ``errors``, one entry
per field: ``{"field": "village", "message": ..., "type": ...}``.
"""

from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhenwu.core import audit
from zhenwu.core.errors import MESSAGES, DomainError
from zhenwu.core.models import AuditOutcome

# DomainError codes that are not a plain 400.
DOMAIN_STATUS = {
    "not_found": 404,
    "permission_denied": 403,
    "out_of_scope": 403,
    "csrf_failed": 403,
    "conflict": 409,
}
UNAUTHENTICATED = _("请先登录，或提供有效的接口令牌。")
VALIDATION_FAILED = _("提交的数据有误，请检查标出的字段。")
REQUEST_FAILED = _("请求无法处理。")
PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Name of the body parameter of every operation; left out of field names.
BODY_PARAM = "payload"


def error_body(code: str, message, **extra) -> dict:
    return {"code": code, "message": str(message), **extra}


def unauthenticated_response() -> JsonResponse:
    response = JsonResponse(error_body("unauthenticated", UNAUTHENTICATED), status=401)
    response["WWW-Authenticate"] = 'Bearer realm="zhenwu"'
    return response


def validation_failed(field: str, message, error_type: str = "value_error") -> NinjaValidationError:
    """A 422 for a value the schema could not judge alone (e.g. an unknown area code)."""
    return NinjaValidationError([{"loc": [field], "msg": str(message), "type": error_type}])


def field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in PARAM_SOURCES:
        parts = parts[1:]
    if parts and parts[0] == BODY_PARAM:
        parts = parts[1:]
    return ".".join(parts)


def _domain_error(request, exc: DomainError, api):
    status = DOMAIN_STATUS.get(exc.code, 400)
    if status == 403:
        _audit_denial(request, exc.code)
    return api.create_response(request, error_body(exc.code, exc.message), status=status)


def _audit_denial(request, code: str) -> None:
    """Refused writes are audited (SECURITY.md 9); the action's own transaction is gone."""
    actor = getattr(request, "auth", None) or getattr(request, "user", None)
    audit.record(
        "api.request_denied",
        actor=actor,
        outcome=AuditOutcome.DENIED,
        object_type="api",
        data={"code": code, "method": request.method, "path": request.path[:200]},
    )


def _authentication_error(request, exc, api):
    return unauthenticated_response()


def _http_error(request, exc: HttpError, api):
    code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
    return api.create_response(request, error_body(code, REQUEST_FAILED), status=exc.status_code)


def _not_found(request, exc, api):
    return api.create_response(request, error_body("not_found", MESSAGES["not_found"]), status=404)


def _validation_error(request, exc: NinjaValidationError, api):
    errors = [
        {
            "field": field_name(error.get("loc", ())),
            "message": str(error.get("msg", "")),
            "type": error.get("type", "value_error"),
        }
        for error in exc.errors
    ]
    body = error_body("validation_error", VALIDATION_FAILED, errors=errors)
    return api.create_response(request, body, status=422)


def _model_validation_error(request, exc: DjangoValidationError, api):
    """full_clean() inside an action (e.g. a household number already taken)."""
    if hasattr(exc, "error_dict"):
        pairs = [(f, m) for f, messages in exc.message_dict.items() for m in messages]
    else:
        pairs = [("", m) for m in exc.messages]
    errors = [
        {"field": "" if f == "__all__" else f, "message": str(m), "type": "invalid"}
        for f, m in pairs
    ]
    body = error_body("validation_error", VALIDATION_FAILED, errors=errors)
    return api.create_response(request, body, status=422)


def install(api) -> None:
    handlers = {
        DomainError: _domain_error,
        AuthenticationError: _authentication_error,
        HttpError: _http_error,
        Http404: _not_found,
        NinjaValidationError: _validation_error,
        DjangoValidationError: _model_validation_error,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, partial(handler, api=api))
