from django.urls import path

from kechuang.core.views import bureau, dictionaries, health, home, import_history, imports, records, todo
from kechuang.core.views import pii as pii_views

app_name = "core"
urlpatterns = [
    path("", home.home, name="home"),
    path("todo/", todo.todo_list, name="todo"),
    path("todo/<str:key>/", todo.todo_kind, name="todo_kind"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("version", health.version, name="version"),
    path("organisations/", records.organisation_list, name="organisation_list"),
    path("organisations/new/", records.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", records.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", records.organisation_edit, name="organisation_edit"),
    path("people/", records.person_list, name="person_list"),
    path("people/<int:pk>/reveal/<slug:field>/", pii_views.person_reveal, name="person_reveal"),
    path("audit/", records.audit_list, name="audit_list"),
    path("audit/verify/", records.audit_verify, name="audit_verify"),
    path("calendar/", records.calendar, name="calendar"),
    path("bureau/contact/", bureau.bureau_contact, name="bureau_contact"),
    path("dictionaries/", dictionaries.dictionary_list, name="dictionaries"),
    path("dictionaries/items/<int:pk>/edit/", dictionaries.dictionary_item_edit, name="dictionary_item_edit"),
    path("files/<uuid:uid>/", records.attachment_download, name="attachment_download"),
    path("jobs/", records.background_jobs, name="background_jobs"),
    path("jobs/<int:pk>/", records.job_status, name="job_status"),
    path("imports/", imports.import_index, name="import_index"),
    path("imports/jobs/<int:pk>/", imports.import_job_result, name="import_job_result"),
    path("imports/jobs/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/jobs/<int:pk>/file/", import_history.import_file, name="import_file"),
    path("imports/jobs/<int:pk>/errors.xlsx", import_history.import_error_file, name="import_error_file"),
    path("imports/jobs/<int:pk>/undo/", import_history.import_undo, name="import_undo"),
    path("imports/<slug:spec>/history/", import_history.import_history, name="import_history"),
    path("imports/<slug:spec>/", imports.import_upload, name="import_upload"),
    path("imports/<slug:spec>/template.xlsx", imports.import_template, name="import_template"),
]
