from django.urls import path

from kechuang.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("export/", views.need_list, {"export": True}, name="need_export"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/contact/<str:kind>/<int:key>/", views.contact_create, name="contact_create"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/export/", views.contact_list, {"export": True}, name="contact_export"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("offered/", views.offered_list, name="offered_list"),
    path("offered/export/", views.offered_list, {"export": True}, name="offered_export"),
    path("offered/new/", views.offered_create, name="offered_create"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export/", views.agreement_list, {"export": True}, name="agreement_export"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/export/", views.transfer_list, {"export": True}, name="transfer_export"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/export/", views.event_list, {"export": True}, name="event_export"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export/", views.project_list, {"export": True}, name="project_export"),
]
