"""What the cooperation pages share: tabs (firms see their own needs, contacts and agreements) and
small helpers."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kechuang.core.permissions import is_firm_user

TABS = [
    ("技术需求", "cooperation:need_list"),
    ("可转化成果", "cooperation:offered_list"),
    ("对接记录", "cooperation:contact_list"),
    ("合作协议", "cooperation:agreement_list"),
    ("预期转化", "cooperation:transfer_list"),
    ("科技活动", "cooperation:event_list"),
    ("校城融合项目", "cooperation:project_list"),
]
FIRM_TABS = [
    ("我的技术需求", "cooperation:need_list"),
    ("对接记录", "cooperation:contact_list"),
    ("合作协议", "cooperation:agreement_list"),
]


def _tabs(user):
    return FIRM_TABS if is_firm_user(user) else TABS


def filters(form, keys):
    """The cleaned filter values (blank when the filter form is empty or invalid)."""
    f = form.cleaned_data if form.is_valid() else {}
    return {k: f.get(k) or (None if k == "year" else "") for k in keys}


def create_url(policy, user, name):
    return reverse(name) if policy.may(user, "create") else ""


def region_of(user):
    if user.region_id is None:
        raise PermissionDenied
    return user.region
