"""The programme engine's task kinds for the one to-do list (core.todos): what staff check, draw, publicise,
decide and answer, what an expert scores, what a firm still has to submit. Listed on ProgrammesConfig."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.todos import Due, TaskKind
from kechuang.programmes import permissions
from kechuang.programmes.models import Application, Objection, Training

S = Application.Status

# Time limits in working days (core.workdays), one place.
CHECK_DAYS = 5  # 形式审查 after submission
DRAW_DAYS = 10  # experts drawn after the call closes
PUBLICISE_DAYS = 20  # the review result publicised after the call closes
DECIDE_DAYS = 5  # the decision after the 公示 ends
ANSWER_DAYS = 5  # an objection answered after it is filed
REVIEW_DAYS = 10  # an expert scores after the draw


def _application(a) -> str:
    return reverse("programmes:application_detail", args=[a.pk])


KINDS = (
    TaskKind(
        key="programmes.check",
        label="待形式审查",
        description=f"已提交的申报，提交后 {CHECK_DAYS} 个工作日内完成形式审查",
        policy=permissions.applications,
        action="check",
        pending=lambda qs, ctx: qs.filter(status=S.SUBMITTED),
        due=Due("submitted_at", CHECK_DAYS),
        url=_application,
        related=("organisation", "person"),
        order=10,
    ),
    TaskKind(
        key="programmes.draw",
        label="待抽取评审专家",
        description=f"形式审查通过的申报，批次截止后 {DRAW_DAYS} 个工作日内抽取专家",
        policy=permissions.applications,
        action="draw",
        pending=lambda qs, ctx: qs.filter(status=S.ACCEPTED, call__programme__type__transition_key="default"),
        due=Due("call__closes_at", DRAW_DAYS),
        url=_application,
        related=("organisation", "person", "call"),
        order=11,
    ),
    TaskKind(
        key="programmes.publicise",
        label="评审完成待公示",
        description=f"评审完成的申报，批次截止后 {PUBLICISE_DAYS} 个工作日内发布公示",
        policy=permissions.applications,
        action="decide",
        pending=lambda qs, ctx: qs.filter(status=S.REVIEWED),
        due=Due("call__closes_at", PUBLICISE_DAYS),
        url=lambda a: reverse("programmes:call_publicity", args=[a.call_id]),
        related=("organisation", "person", "call"),
        order=12,
    ),
    TaskKind(
        key="programmes.decide",
        label="公示期满待决定",
        description=f"公示已结束的申报，期满后 {DECIDE_DAYS} 个工作日内作出决定",
        policy=permissions.applications,
        action="decide",
        pending=lambda qs, ctx: qs.filter(status=S.IN_PUBLICITY, publicity__ends_on__lt=ctx.today),
        due=Due("publicity__ends_on", DECIDE_DAYS),
        url=_application,
        related=("organisation", "person", "publicity"),
        order=13,
    ),
    TaskKind(
        key="programmes.objection",
        label="待答复的公示异议",
        description=f"实名异议，收到后 {ANSWER_DAYS} 个工作日内答复",
        policy=permissions.objections,
        action="answer",
        pending=lambda qs, ctx: qs.filter(status=Objection.Status.OPEN),
        due=Due("submitted_at", ANSWER_DAYS),
        url=lambda o: reverse("programmes:my_tasks") + f"#objection-{o.pk}",
        title=lambda o: f"{o.name}对{o.application.applicant_name if o.application else o.publicity}的异议",
        related=("publicity", "application__organisation", "application__person"),
        order=14,
    ),
    TaskKind(
        key="programmes.respond",
        label="待确认的评审任务",
        description="抽取到您的申报，请在确认截止日前接受、谢绝或回避（逾期将另行补抽）",
        policy=permissions.assignments,
        action="respond",
        pending=lambda qs, ctx: qs.filter(response="pending", application__status=S.UNDER_REVIEW),
        due=Due("respond_by"),
        url=lambda a: reverse("programmes:review_score", args=[a.pk]),
        title=lambda a: a.application.title,
        related=("application",),
        order=15,
    ),
    TaskKind(
        key="programmes.review",
        label="待评审打分",
        description=f"抽取到您的申报，抽取后 {REVIEW_DAYS} 个工作日内提交评分",
        policy=permissions.assignments,
        action="review",
        pending=lambda qs, ctx: qs.filter(
            submitted_at__isnull=True, response="accepted", application__status=S.UNDER_REVIEW
        ),
        due=Due("application__draw__drawn_at", REVIEW_DAYS),
        url=lambda a: reverse("programmes:review_score", args=[a.pk]),
        title=lambda a: a.application.title,
        related=("application__draw",),
        order=15,
    ),
    TaskKind(
        key="programmes.submit",
        label="待提交的申报",
        description="草稿与退回修改的申报，须在批次截止前提交",
        policy=permissions.applications,
        action="submit",
        pending=lambda qs, ctx: qs.filter(
            status__in=[S.DRAFT, S.RETURNED], call__closes_at__date__gte=ctx.today
        ),
        due=Due("call__closes_at"),
        url=_application,
        title=lambda a: f"{a.title}（{a.get_status_display()}）",
        related=("call",),
        order=16,
    ),
    TaskKind(
        key="programmes.training_register",
        label="待报名的培训",
        description="邀请本单位参加的培训与宣讲，请在举办日前报名",
        policy=permissions.trainings,
        action="register",
        pending=lambda qs, ctx: qs.filter(
            held_on__gte=ctx.today,
            pk__in=Training.objects.filter(
                participants__organisation_id=ctx.user.organisation_id,
                participants__invited=True,
                participants__registered=False,
            ).values("pk"),
        ),
        due=Due("held_on"),
        url=lambda t: reverse("programmes:training_detail", args=[t.pk]),
        title=lambda t: f"{t.title}（{t.get_mode_display()}，{t.place}）" if t.place else t.title,
        order=17,
    ),
)
