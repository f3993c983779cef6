from django.urls import path

from kechuang.agritech import views

app_name = "agritech"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/import/", views.village_import, name="village_import"),
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    path("village-flags/<int:pk>/remove/", views.village_flag_remove, name="village_flag_remove"),
    path("commissioners/", views.commissioner_list, name="commissioner_list"),
    path("commissioners/new/", views.commissioner_create, name="commissioner_create"),
    path("commissioners/<int:pk>/", views.commissioner_detail, name="commissioner_detail"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/transition/", views.pairing_transition, name="pairing_transition"),
    path("pairings/<int:pk>/card/", views.pairing_card, name="pairing_card"),
    path("pairings/<int:pk>/card/publish/", views.pairing_card_publish, name="pairing_card_publish"),
    path("logs/", views.log_list, name="log_list"),
    path("logs/new/", views.log_create, name="log_create"),
    path("logs/<int:pk>/", views.log_detail, name="log_detail"),
    path("logs/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/new/", views.station_create, name="station_create"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/visits/<int:visit_pk>/rectified/", views.visit_rectified, name="visit_rectified"),
    path("evaluation/", views.evaluation, name="evaluation"),
    # Public 亮牌 pages: no login, published cards only, addressed by an unguessable token.
    path("card/", views.public_cards, name="public_cards"),
    path("card/<uuid:token>/", views.public_card, name="public_card"),
    path("card/<uuid:token>/photo/", views.public_card_photo, name="public_card_photo"),
]
