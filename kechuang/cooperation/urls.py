from django.urls import path

from kechuang.cooperation import views

app_name = "cooperation"


def crud(prefix: str, name: str, *, detail=True, create=True, edit=True):
    """list, export, and (as the views exist) new, detail and edit routes of one record kind."""
    routes = [
        path(f"{prefix}/", getattr(views, f"{name}_list"), name=f"{name}_list"),
        path(f"{prefix}/export/", getattr(views, f"{name}_list"), {"export": True}, name=f"{name}_export"),
    ]
    if create:
        routes.append(path(f"{prefix}/new/", getattr(views, f"{name}_create"), name=f"{name}_create"))
    if detail:
        routes.append(path(f"{prefix}/<int:pk>/", getattr(views, f"{name}_detail"), name=f"{name}_detail"))
    if edit:
        routes.append(path(f"{prefix}/<int:pk>/edit/", getattr(views, f"{name}_edit"), name=f"{name}_edit"))
    return routes


urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("export/", views.need_list, {"export": True}, name="need_export"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/contact/<str:kind>/<int:key>/", views.contact_create, name="contact_create"),
    *crud("contacts", "contact", create=False, edit=False),
    *crud("offered", "offered"),
    *crud("agreements", "agreement"),
    *crud("transfers", "transfer"),
    *crud("events", "event"),
    path("events/<int:pk>/activities/", views.event_activity, name="event_activity"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:pk>/consultations/", views.event_consultation, name="event_consultation"),
    path("events/<int:pk>/outcomes/", views.event_outcomes, name="event_outcomes"),
    *crud("projects", "project"),
]
