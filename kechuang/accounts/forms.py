from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm


class LoginForm(AuthenticationForm):
    error_messages = {
        # One answer whether the user exists or not, so the form cannot be used to find accounts.
        "invalid_login": "用户名或密码错误。",
        "inactive": "用户名或密码错误。",
    }
    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)


class KcPasswordChangeForm(PasswordChangeForm):
    pass
