from django.urls import path

from kechuang.projects import views
from kechuang.projects import views_campaigns as vc
from kechuang.projects import views_lifecycle as lc

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("public/", views.public_list, name="public_list"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/files/<uuid:uid>/", views.project_file, name="project_file"),
    path("<int:pk>/milestone/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/disburse/", views.disbursement_add, name="disbursement_add"),
    path("<int:pk>/report/", views.report_submit, name="report_submit"),
    path("<int:pk>/change/", views.change_submit, name="change_submit"),
    path("<int:pk>/start/", views.project_start, name="project_start"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("changes/<int:pk>/<str:decision>/", views.change_decide, name="change_decide"),
    path("<int:pk>/review/", lc.review_draw, name="review_draw"),
    path("<int:pk>/outcome/", lc.outcome_add, name="outcome_add"),
    path("<int:pk>/document/", lc.document_add, name="document_add"),
    path("<int:pk>/team/", lc.team_change, name="team_change"),
    path("reviews/<int:pk>/conclude/", lc.review_conclude, name="review_conclude"),
    path("reserve/", views.reserve_list, name="reserve_list"),
    path("reserve/new/", lc.reserve_create, name="reserve_create"),
    path("reserve/<int:pk>/", lc.reserve_detail, name="reserve_detail"),
    path("reserve/<int:pk>/edit/", lc.reserve_edit, name="reserve_edit"),
    path("reserve/<int:pk>/move/", lc.reserve_move, name="reserve_move"),
    path("findings/", lc.finding_list, name="finding_list"),
    path("findings/<int:pk>/", lc.finding_follow_up, name="finding_follow_up"),
    path("findings/<int:pk>/files/<uuid:uid>/", lc.finding_file, name="finding_file"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/assign/", views.campaign_assign, name="campaign_assign"),
    path("campaigns/<int:pk>/sync/", vc.campaign_sync, name="campaign_sync"),
    path("campaigns/<int:pk>/close/", vc.campaign_close, name="campaign_close"),
    path("items/<int:pk>/excuse/", vc.item_excuse, name="item_excuse"),
    path("<int:pk>/acceptance/", vc.acceptance_apply, name="acceptance_apply"),
    path("campaigns/<int:pk>/summary.docx", views.campaign_docx, name="campaign_docx"),
    path("items/<int:pk>/inspect/", views.item_inspect, name="item_inspect"),
    path("items/<int:pk>/finding/", views.finding_add, name="finding_add"),
]
