from django.urls import path

from kechuang.programmes import views

app_name = "programmes"

urlpatterns = [
    path("mine/", views.my_applications, name="my_applications"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_pk>/apply/", views.application_create, name="application_create"),
    path("calls/<int:pk>/publicity/", views.call_publicity, name="call_publicity"),
    path("calls/<int:pk>/decide/", views.call_decide_batch, name="call_decide_batch"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/files/<uuid:uid>/", views.application_file, name="application_file"),
    path(
        "applications/<int:pk>/files/<uuid:uid>/remove/",
        views.application_file_remove,
        name="application_file_remove",
    ),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("objections/<int:pk>/files/<uuid:uid>/", views.objection_file, name="objection_file"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("config/", views.config_list, name="config_list"),
    path("config/types/new/", views.programme_type_edit, name="programme_type_create"),
    path("config/types/<int:pk>/", views.programme_type_edit, name="programme_type_edit"),
    path("config/programmes/new/", views.programme_edit, name="programme_create"),
    path("config/programmes/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_score, name="review_score"),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("public/publicity/", views.public_publicity_list, name="public_publicity_list"),
    path("public/publicity/<int:pk>/", views.public_publicity_detail, name="public_publicity_detail"),
    path("public/objections/", views.public_objection_lookup, name="public_objection_lookup"),
]
