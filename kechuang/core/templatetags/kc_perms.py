"""The shared role predicates of core.permissions for templates: `{% load kc_perms %}` then
`{% if user|is_commissioner %}`. A page's own actions ("may I edit this?") come from its view, which asks the
app's policy; these only tell which kind of account is looking (issue 26: no role comparisons in templates)."""

from django import template

from kechuang.core import permissions

register = template.Library()

register.filter("is_bureau_staff", permissions.is_bureau_staff)
register.filter("is_bureau_user", permissions.is_bureau_user)
register.filter("is_firm_user", permissions.is_firm_user)
register.filter("is_commissioner", permissions.is_commissioner)
register.filter("is_expert_account", permissions.is_expert_account)
