"""Demo: the staff numbers the bureau's officials sign on with, and a firm person who already signed on."""

from kechuang.signon import services
from kechuang.signon.models import Identity

STAFF_NUMBERS = {
    "staff": "ZC-0012",
    "staff2": "ZC-0027",
    "staff_agri": "ZC-0035",
    "leader": "ZC-0003",
}


def build(ctx) -> None:
    for username, number in STAFF_NUMBERS.items():
        user = ctx.users.get(username)
        if user is not None:
            services.staff_number_set(actor=ctx.system or "demo", user=user, number=number)
    firm_user = ctx.users.get("qiye")
    if firm_user is not None and firm_user.organisation and firm_user.organisation.credit_code:
        # 方达电子's 经办人 signed on through the identity service once (the account page shows the link).
        Identity.objects.get_or_create(
            kind=Identity.Kind.FIRM,
            key=firm_user.organisation.credit_code,
            provider=Identity.Provider.OIDC,
            subject="fangda-jingban",
            defaults={"user": firm_user},
        )
