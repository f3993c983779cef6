"""One error shape for every API failure: {"error": {"code": ..., "message": ..., "details": ...}}."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


def error(api, request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or {}}}, status=status
    )


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc):
        return error(api, request, 422, "invalid", "请求数据无效。", {"errors": exc.errors})

    @api.exception_handler(ValidationError)
    def _domain_invalid(request, exc):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return error(api, request, 422, "invalid", "；".join(exc.messages), details)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return error(api, request, 404, "not_found", "对象不存在或无权访问。")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return error(api, request, 403, "forbidden", "无权执行此操作。")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return error(api, request, 401, "unauthenticated", "请先登录或提供有效的令牌。")

    @api.exception_handler(HttpError)
    def _http(request, exc):
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # Ninja's "Cannot parse request body": the body is not valid JSON (or form data).
            return error(
                api, request, 400, "invalid_body", "请求体格式无效：请发送有效的 JSON（UTF-8 编码）。"
            )
        return error(api, request, exc.status_code, "http_error", str(exc))
