"""What the cooperation services share."""

PARTNER_KINDS = ("university", "institute", "foreign", "service_provider", "platform_operator")


def _user(actor):
    """The acting user to store on a row (None for the system actor)."""
    return actor if getattr(actor, "pk", None) else None
