"""Who the caller is, over JSON (issue 26: every app that holds data has an API): the account a token or
session belongs to, its role and scope, so an integrating system can tell whose data it will get. Accounts
are managed on the pages only (三员分立: creating, disabling and role changes need the administrators'
second factor)."""

from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    region_code: str
    region: str
    organisation: str

    @staticmethod
    def resolve_role_label(obj):
        return obj.get_role_display()

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code if obj.region_id else ""

    @staticmethod
    def resolve_region(obj):
        return obj.region.name if obj.region_id else ""

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name if obj.organisation_id else ""


@router.get("/me", response=MeOut)
def me(request):
    return request.auth
