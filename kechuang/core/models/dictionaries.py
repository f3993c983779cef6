from django.db import models


class DictType(models.Model):
    """A named list of codes (industries, 高新技术领域, levels …) kept as data, not code."""

    code = models.SlugField("类型代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    description = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "数据字典"

    def __str__(self) -> str:
        return self.name


class DictItem(models.Model):
    dict_type = models.ForeignKey(DictType, models.CASCADE, related_name="items")
    code = models.CharField("代码", max_length=40)
    name = models.CharField("名称", max_length=120)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    sort = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["dict_type", "sort", "code"]
        verbose_name = verbose_name_plural = "字典项"
        constraints = [models.UniqueConstraint(fields=["dict_type", "code"], name="dictitem_unique_code")]

    def __str__(self) -> str:
        return self.name
