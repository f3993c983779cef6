from django.urls import path

from kechuang.platforms import views

app_name = "platforms"
urlpatterns = [
    path("", views.platform_list, name="platform_list"),
    path("export/", views.platform_list, {"export": True}, name="platform_export"),
    path("new/", views.platform_create, name="platform_create"),
    path("overview/", views.overview, name="overview"),
    path("<int:pk>/", views.platform_detail, name="platform_detail"),
    path("<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("<int:pk>/transition/", views.platform_transition, name="platform_transition"),
    path("<int:pk>/level/", views.platform_level, name="platform_level"),
    path("<int:pk>/publish/", views.platform_publish, name="platform_publish"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/evaluations/", views.evaluation_add, name="evaluation_add"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
