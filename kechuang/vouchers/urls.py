from django.urls import path

from kechuang.vouchers import fund_views, provider_views, setup_views, views

app_name = "vouchers"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("programmes/new/", setup_views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", setup_views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/batches/new/", setup_views.batch_add, name="batch_add"),
    path("list/", views.voucher_list, name="voucher_list"),
    path("export/", views.voucher_export, name="voucher_export"),
    path("v/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("v/<int:pk>/<slug:action>/", views.voucher_action, name="voucher_action"),
    path("redemptions/", views.redemption_queue, name="redemption_queue"),
    path("redemptions/export/", views.redemption_export, name="redemption_export"),
    path("redemptions/<int:pk>/files/<uuid:uid>/", views.redemption_file, name="redemption_file"),
    path("v/<int:pk>/invoices/<uuid:uid>/", views.provider_invoice_file, name="provider_invoice_file"),
    path("redemptions/<int:pk>/<slug:action>/", views.redemption_action, name="redemption_action"),
    path("providers/", setup_views.provider_list, name="provider_list"),
    path("providers/new/", setup_views.provider_register, name="provider_register"),
    path("providers/export/", setup_views.provider_export, name="provider_export"),
    path("providers/<int:pk>/", setup_views.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/<slug:action>/", setup_views.provider_action, name="provider_action"),
    path("funds/", fund_views.fund_list, name="fund_list"),
    path("funds/export/", fund_views.fund_export, name="fund_export"),
    path("funds/lines/new/", fund_views.budget_line_create, name="budget_line_create"),
    path("funds/allocations/new/", fund_views.allocation_create, name="allocation_create"),
    path("funds/allocations/<int:pk>/", fund_views.allocation_detail, name="allocation_detail"),
    path("funds/allocations/<int:pk>/<slug:action>/", fund_views.allocation_action, name="allocation_action"),
    path("funds/instalments/<int:pk>/<slug:action>/", fund_views.instalment_action, name="instalment_action"),
    path("firms/<int:org_pk>/", views.firm_history, name="firm_history"),
    path("mine/", views.mine, name="mine"),
    path("provided/", provider_views.provided, name="provided"),
    path(
        "provided/v/<int:pk>/confirm/",
        provider_views.provided_contract_confirm,
        name="provided_contract_confirm",
    ),
    path(
        "provided/v/<int:pk>/invoice/",
        provider_views.provided_invoice_upload,
        name="provided_invoice_upload",
    ),
    path(
        "provided/r/<int:pk>/confirm/",
        provider_views.provided_redemption_confirm,
        name="provided_redemption_confirm",
    ),
]
