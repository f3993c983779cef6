from django.urls import path

from kechuang.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.indicator_table, name="indicators"),
    path("drill/<slug:code>/", views.drill, name="drill"),
    path("export/<slug:code>.xlsx", views.export, name="export"),
    path("charts/", views.charts, name="charts"),
    path("compare/", views.compare, name="compare"),
    path("my/", views.my_facts, name="my_facts"),
    path("my/form/", views.fact_edit, name="fact_edit"),
    path("facts/<int:pk>/", views.fact_detail, name="fact_detail"),
    path("regions/", views.region_facts, name="region_facts"),
    path("calendar/", views.submission_calendar, name="calendar"),
    path("calendar/<int:pk>/", views.deadline_detail, name="deadline_detail"),
]
