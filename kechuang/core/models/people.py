from django.core.exceptions import ValidationError
from django.db import models

from kechuang.core import dates, rules


def validate_id_number(value: str) -> None:
    result = rules.check_id_number(value, today=dates.today())
    if not result:
        raise ValidationError(result.message, code=result.code)


class Person(models.Model):
    """A natural person: expert, commissioner, project leader, talent, contact.

    The ID number is personal information: optional, validated, never shown unmasked in a list.
    """

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    name = models.CharField("姓名", max_length=40, db_index=True)
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_id_number])
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    nationality = models.CharField("国籍", max_length=40, default="中国")
    phone = models.CharField("手机", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="工作单位",
    )
    title = models.CharField("职称/职务", max_length=60, blank=True)
    region = models.ForeignKey(
        "core.Region", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属区划"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    def clean(self) -> None:
        if self.id_number:
            result = rules.check_id_number(self.id_number, today=dates.today())
            if not result:
                raise ValidationError({"id_number": result.message})
            self.id_number = result.value
            if not self.gender:
                self.gender = rules.id_number_gender(result.value)
            if not self.birth_date:
                self.birth_date = rules.id_number_birth_date(result.value)
