from django.db import models


class CalendarYear(models.Model):
    """Whether a year's official 放假调休 schedule is known; deadlines in unconfirmed years are provisional."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    confirmed = models.BooleanField("已确认", default=False, help_text="国务院办公厅当年放假安排已录入")
    source = models.CharField("来源", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "工作日历年度"

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to "Monday–Friday work, weekend rest": a statutory holiday or a 调休 workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", primary_key=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
