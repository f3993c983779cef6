from django.urls import path

from kechuang.agritech.views import logs, network, pairings, villages

app_name = "agritech"
urlpatterns = [
    path("", villages.overview, name="overview"),
    path("villages/", villages.village_list, name="village_list"),
    path("villages/import/", villages.village_import, name="village_import"),
    path("villages/<int:pk>/", villages.village_detail, name="village_detail"),
    path("village-flags/<int:pk>/remove/", villages.village_flag_remove, name="village_flag_remove"),
    path("commissioners/", pairings.commissioner_list, name="commissioner_list"),
    path("commissioners/new/", pairings.commissioner_create, name="commissioner_create"),
    path("commissioners/<int:pk>/", pairings.commissioner_detail, name="commissioner_detail"),
    path("pairings/", pairings.pairing_list, name="pairing_list"),
    path("pairings/new/", pairings.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/transition/", pairings.pairing_transition, name="pairing_transition"),
    path("pairings/<int:pk>/card/", pairings.pairing_card, name="pairing_card"),
    path("pairings/<int:pk>/card/publish/", pairings.pairing_card_publish, name="pairing_card_publish"),
    path("logs/", logs.log_list, name="log_list"),
    path("logs/new/", logs.log_create, name="log_create"),
    path("logs/<int:pk>/", logs.log_detail, name="log_detail"),
    path("logs/<int:pk>/edit/", logs.log_edit, name="log_edit"),
    path("requests/", network.request_list, name="request_list"),
    path("requests/new/", network.request_create, name="request_create"),
    path("requests/<int:pk>/", network.request_detail, name="request_detail"),
    path("stations/", network.station_list, name="station_list"),
    path("stations/new/", network.station_create, name="station_create"),
    path("stations/<int:pk>/", network.station_detail, name="station_detail"),
    path(
        "stations/<int:pk>/visits/<int:visit_pk>/rectified/", network.visit_rectified, name="visit_rectified"
    ),
    path("evaluation/", network.evaluation, name="evaluation"),
    # Public 亮牌 pages: no login, published cards only, addressed by an unguessable token.
    path("card/", pairings.public_cards, name="public_cards"),
    path("card/<uuid:token>/", pairings.public_card, name="public_card"),
    path("card/<uuid:token>/photo/", pairings.public_card_photo, name="public_card_photo"),
    # The served party's one-tap confirmation of a service log: no login, a signed token (services.confirm).
    path("confirm/<str:token>/", logs.log_confirm, name="log_confirm"),
]
