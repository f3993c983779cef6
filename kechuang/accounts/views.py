from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from kechuang.accounts import services
from kechuang.accounts.forms import KcPasswordChangeForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def logout_view(request):
    if request.method == "POST":
        from django.contrib.auth import logout

        logout(request)
        messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def profile(request):
    form = KcPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改，其他设备上的登录已全部退出。")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
