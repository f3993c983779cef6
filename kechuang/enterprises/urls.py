from django.urls import path

from kechuang.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.firm_list, name="firm_list"),
    path("export/", views.firm_export, name="firm_export"),
    path("mine/", views.mine, name="mine"),
    path("ladder/", views.ladder, name="ladder"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/screen/", views.screening_start, name="screening_start"),
    path("firms/<int:pk>/", views.firm_detail, name="firm_detail"),
    path("firms/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("firms/<int:pk>/profile/", views.profile_edit, name="profile_edit"),
    path("firms/<int:pk>/years/new/", views.year_edit, name="year_add"),
    path("firms/<int:pk>/years/<int:year>/", views.year_edit, name="year_edit"),
    path("firms/<int:pk>/qualifications/new/", views.qualification_add, name="qualification_add"),
    path(
        "firms/<int:pk>/qualifications/<int:qpk>/",
        views.qualification_detail,
        name="qualification_detail",
    ),
    path(
        "firms/<int:pk>/qualifications/<int:qpk>/revoke/",
        views.qualification_revoke,
        name="qualification_revoke",
    ),
]
