from django.urls import path

from kechuang.portal import manage_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/files/<uuid:uid>/", views.notice_file, name="notice_file"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("manage/", manage_views.manage_list, name="manage_list"),
    path("manage/new/", manage_views.manage_create, name="manage_create"),
    path("manage/<int:pk>/", manage_views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", manage_views.manage_edit, name="manage_edit"),
    path("manage/<int:pk>/step/", manage_views.manage_step, name="manage_step"),
    path("manage/<int:pk>/files/<uuid:uid>/", manage_views.manage_file, name="manage_file"),
]
