from django.urls import path

from kechuang.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/transition/", views.proposal_transition, name="transition"),
    path("<int:pk>/details/", views.proposal_details, name="details"),
    path("<int:pk>/draft/", views.proposal_draft, name="draft"),
    path("<int:pk>/items/", views.proposal_items, name="items"),
    path("<int:pk>/letter.docx", views.proposal_letter, name="letter"),
    path("<int:pk>/letter.pdf", views.proposal_letter, {"fmt": "pdf"}, name="letter_pdf"),
    path("co-units/<int:pk>/opinion/", views.co_unit_opinion, name="opinion"),
]
