"""The JSON API at /api/: the same services and permission policies as the pages.

Each module exposes a `router` in its own `api.py`; installed modules are mounted at /api/<label>/.
"""

from importlib import import_module

from django.apps import apps
from ninja import NinjaAPI

from kechuang.api import errors
from kechuang.api.auth import AUTH

api = NinjaAPI(
    title="科创 Kechuang API",
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
        api.add_router(f"/{app_config.label}/", router)
