from django.urls import path

from kechuang.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.expert_list, name="expert_list"),
    path("export/", views.expert_list, {"export": True}, name="expert_export"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/export/", views.award_list, {"export": True}, name="award_export"),
    path("awards/new/", views.award_create, name="award_create"),
    path("awards/<int:pk>/edit/", views.award_edit, name="award_edit"),
    path("foreign/", views.foreign_list, name="foreign_list"),
    path("foreign/export/", views.foreign_list, {"export": True}, name="foreign_export"),
    path("foreign/new/", views.foreign_create, name="foreign_create"),
    path("foreign/<int:pk>/", views.foreign_detail, name="foreign_detail"),
    path("foreign/<int:pk>/edit/", views.foreign_edit, name="foreign_edit"),
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/export/", views.demand_list, {"export": True}, name="demand_export"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/transition/", views.demand_transition, name="demand_transition"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export/", views.project_list, {"export": True}, name="project_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/export/", views.nomination_list, {"export": True}, name="nomination_export"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
]
