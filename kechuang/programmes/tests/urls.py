"""URLs for this module's page tests: the foundation plus programmes only, so these tests exercise this
module's views without depending on other modules' URL files (which other engineers edit concurrently).
The full project URLconf is exercised by the suite-wide tests."""

from django.urls import include, path

urlpatterns = [
    path("", include("kechuang.core.urls")),
    path("accounts/", include("kechuang.accounts.urls")),
    path("notifications/", include("kechuang.notifications.urls")),
    path("public/", include("kechuang.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("programmes/", include("kechuang.programmes.urls")),
]
