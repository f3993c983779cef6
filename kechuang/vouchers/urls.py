from django.urls import path

from kechuang.vouchers import views

app_name = "vouchers"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
]
