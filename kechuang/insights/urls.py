from django.urls import path

from kechuang.insights import views, views_radar

app_name = "insights"
urlpatterns = [
    path("radar/", views_radar.radar, name="radar"),
    path("radar/<int:pk>/resolve/", views_radar.radar_resolve, name="radar_resolve"),
    path("firms/<int:pk>/", views.profile, name="profile"),
    path("firms/<int:pk>/year/<int:year>/", views.firm_year, name="firm_year"),
    path("mine/", views.mine, name="mine"),
    path("scores/", views.scores, name="scores"),
    path("scores/official/", views.official_import, name="official_import"),
    path("forecast/", views.forecast, name="forecast"),
    path("forecast/export/", views.forecast, {"export": True}, name="forecast_export"),
]
