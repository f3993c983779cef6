"""The JSON API at /api/: the same services and permission policies as the pages.

Each module exposes a `router` in its own `api.py`; installed modules are mounted at /api/<label>/ (or at
their AppConfig's `api_prefix`).
"""

import functools
from importlib import import_module

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from ninja import NinjaAPI

from kechuang.api import errors
from kechuang.api.auth import AUTH


def _signed_in_only(view):
    """`/api/docs` and `/api/openapi.json` for signed-in users only (a session or a bearer token): the
    document lists every operation and schema, which is no one else's business (issue 25)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        from kechuang.core.permissions import may_read_api_docs

        user = next((u for auth in AUTH if (u := auth(request)) is not None), None)
        if not may_read_api_docs(user):
            if request.path.endswith(".json"):
                return errors.error(api, request, 401, "unauthenticated", "请先登录或提供有效的令牌。")
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="科创 Kechuang API",
    docs_decorator=_signed_in_only,
    version="1",
    description="区科技局科技创新管理平台接口。认证：浏览器会话（需 CSRF）或 `Authorization: Bearer <令牌>`。",
    auth=AUTH,
    urls_namespace="api",
)
errors.install(api)

for app_config in apps.get_app_configs():
    if not app_config.name.startswith("kechuang.") or app_config.label == "api":
        continue
    try:
        module = import_module(f"{app_config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app_config.name}.api":
            raise
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{getattr(app_config, 'api_prefix', app_config.label)}/", router)
