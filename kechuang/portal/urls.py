from django.urls import path

from kechuang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
]
