from django.apps import apps
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from kechuang.api.api import api

urlpatterns = [
    path("", include("kechuang.core.urls")),
    path("accounts/", include("kechuang.accounts.urls")),
    path("notifications/", include("kechuang.notifications.urls")),
    path("public/", include("kechuang.portal.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico on pages that name no icon (and on downloads): point them at ours.
    # (resolved per request: the manifest storage of production knows hashed names only after collectstatic)
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg"))),
]

# Each domain module mounts itself at /<label>/ when installed, so adding a module is one line in
# INSTALLED_APPS and the menu and URLs follow.
for app_config in apps.get_app_configs():
    prefix = getattr(app_config, "url_prefix", None)
    if prefix:
        urlpatterns.append(path(f"{prefix}/", include(f"{app_config.name}.urls")))

handler403 = "kechuang.core.views.errors.forbidden"
handler404 = "kechuang.core.views.errors.not_found"
handler500 = "kechuang.core.views.errors.server_error"
