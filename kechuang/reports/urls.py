from django.urls import path

from kechuang.reports import signoff_views, template_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("drill/<slug:code>/", views.drill, name="drill"),
    path("summaries/", views.draft_list, name="draft_list"),
    path("summaries/new/", views.draft_create, name="draft_create"),
    path("summaries/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("summaries/<int:pk>/regenerate/", views.draft_regenerate, name="draft_regenerate"),
    path("summaries/<int:pk>/acknowledge/", views.draft_acknowledge, name="draft_acknowledge"),
    path("summaries/<int:pk>/download.<str:fmt>", views.draft_download, name="draft_download"),
    path("summaries/<int:pk>/signoff/", signoff_views.draft_signoff, name="draft_signoff"),
    path("summaries/<int:pk>/signed.<str:fmt>", signoff_views.signed_download, name="signed_download"),
    path("templates/", template_views.template_list, name="template_list"),
    path("templates/<int:pk>/", template_views.template_edit, name="template_edit"),
]
