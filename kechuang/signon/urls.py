from django.urls import path

from kechuang.signon import cas, oidc, views

app_name = "signon"
urlpatterns = [
    path("oidc/start/", oidc.OidcStart.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.OidcCallback.as_view(), name="oidc_callback"),
    path("cas/login/", cas.CasLogin.as_view(), name="cas_login"),
    path("staff-number/<int:pk>/", views.staff_number, name="staff_number"),
]
