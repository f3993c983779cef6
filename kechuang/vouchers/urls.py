from django.urls import path

from kechuang.vouchers import views

app_name = "vouchers"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("list/", views.voucher_list, name="voucher_list"),
    path("export/", views.voucher_export, name="voucher_export"),
    path("v/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("v/<int:pk>/<slug:action>/", views.voucher_action, name="voucher_action"),
    path("redemptions/", views.redemption_queue, name="redemption_queue"),
    path("redemptions/<int:pk>/<slug:action>/", views.redemption_action, name="redemption_action"),
    path("providers/", views.provider_list, name="provider_list"),
    path("funds/", views.fund_list, name="fund_list"),
    path("firms/<int:org_pk>/", views.firm_history, name="firm_history"),
    path("mine/", views.mine, name="mine"),
]
