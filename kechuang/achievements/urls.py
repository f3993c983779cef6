from django.urls import path

from kechuang.achievements import views

app_name = "achievements"
urlpatterns = [
    path("", views.achievement_list, name="achievement_list"),
    path("export/", views.achievement_list, {"export": True}, name="achievement_export"),
    path("new/", views.achievement_create, name="achievement_create"),
    path("<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("<int:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/export/", views.award_list, {"export": True}, name="award_export"),
    path("awards/new/", views.award_create, name="award_create"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/edit/", views.award_edit, name="award_edit"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
