from django.db import models


class Region(models.Model):
    """A node of the 行政区划 tree (province → city → district/county → town/street → village).

    `path` is the chain of codes from the root ("370000/370300/370306/"), so "everything under 淄博"
    is one indexed `startswith` lookup at any depth.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省"
        CITY = 2, "市"
        DISTRICT = 3, "区县"
        TOWN = 4, "乡镇街道"
        VILLAGE = 5, "村居"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=200, db_index=True, editable=False)
    is_active = models.BooleanField("有效", default=True)
    # The bureau of this region (科技局) as the public reaches it: named on its 公示 for objections.
    contact_office = models.CharField("联系科室", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "行政区划"
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="region_level_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def full_name(self) -> str:
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def subtree_q(self, prefix: str = "") -> models.Q:
        """A Q matching this region and every region below it, through a relation prefix."""
        return models.Q(**{f"{prefix}path__startswith": self.path})
