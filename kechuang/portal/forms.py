from django import forms

from kechuang.portal.models import Notice


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["category", "title", "doc_number", "body"]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "doc_number": forms.TextInput(
                attrs={"class": "form-control", "placeholder": "如：周科发〔2020〕3号"}
            ),
            "body": forms.Textarea(attrs={"class": "form-control", "rows": 12}),
        }
        help_texts = {"doc_number": "政策文件填写发文字号；通知公告可不填。"}


class StepForm(forms.Form):
    to = forms.ChoiceField(choices=Notice.Status.choices)
    comment = forms.CharField(required=False, max_length=500)
