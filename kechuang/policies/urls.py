from django.urls import path

from kechuang.policies.views import batches, public, staff

app_name = "policies"
urlpatterns = [
    path("", staff.policy_list, name="policy_list"),
    path("documents/new/", staff.document_create, name="document_create"),
    path("documents/<int:pk>/new/", staff.policy_create, name="policy_create"),
    path("p/<int:pk>/", staff.policy_detail, name="policy_detail"),
    path("p/<int:pk>/items/new/", staff.item_create, name="item_create"),
    path("p/<int:pk>/simulate/", batches.simulate_page, name="simulate"),
    path("p/<int:pk>/<slug:action>/", staff.policy_action, name="policy_action"),
    path("items/<int:pk>/edit/", staff.item_edit, name="item_edit"),
    path("items/<int:pk>/conditions/new/", staff.condition_add, name="condition_add"),
    path("items/<int:pk>/results/", staff.item_results, name="item_results"),
    path("items/<int:pk>/export/", staff.item_export, name="item_export"),
    path("items/<int:pk>/batches/new/", batches.batch_create, name="batch_create"),
    path("conditions/<int:pk>/delete/", staff.condition_delete, name="condition_delete"),
    path("simulations/<int:pk>/", batches.simulation_detail, name="simulation_detail"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/<slug:action>/", batches.batch_action, name="batch_action"),
    path("awards/<int:pk>/withdraw/", batches.award_withdraw, name="award_withdraw"),
    path("objections/<int:pk>/answer/", batches.objection_answer, name="objection_answer"),
    path("mine/", public.mine, name="mine"),
    path("matches/<int:pk>/confirm/", public.quick_confirm, name="quick_confirm"),
    # Public (no login): the policy library, the calculator, award lists in 公示.
    path("library/", public.library, name="library"),
    path("library/<int:pk>/", public.library_detail, name="library_detail"),
    path("calculator/", public.calculator, name="calculator"),
    path("public/batches/<int:pk>/", public.batch_public, name="batch_public"),
]
