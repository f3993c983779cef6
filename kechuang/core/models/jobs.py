from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class Job(models.Model):
    """A long-running background job (import, screening, export) whose progress pages can show."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=120)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.TextField("消息", blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease (core.joblease): which worker process holds the job, how often it was started, and the
    # task that runs it, so that a job whose worker died can be queued again or failed with a message.
    worker = models.CharField("执行进程", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    task_path = models.CharField("任务", max_length=200, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["status"], name="core_job_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def waits_too_long(self) -> bool:
        """Queued longer than `joblease.QUEUE_STALE_AFTER` without starting: no worker takes it."""
        from django.utils import timezone

        from kechuang.core.joblease import QUEUE_STALE_AFTER

        return (
            self.status == self.Status.QUEUED
            and timezone.now() - self.created_at > QUEUE_STALE_AFTER
            and (self.started_at is None or timezone.now() - self.started_at > QUEUE_STALE_AFTER)
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class JobHeartbeat(models.Model):
    """The last sign of life of the worker running a job, in its own table: the job row itself is locked
    while an import commits, and a heartbeat must never wait for that lock. No foreign key, so a beat
    written from the worker's heartbeat thread never depends on the job row's visibility."""

    job_id = models.BigIntegerField(primary_key=True)
    worker = models.CharField(max_length=200)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "后台任务心跳"

    def __str__(self) -> str:
        return f"#{self.job_id} {self.worker} @ {self.beat_at:%H:%M:%S}"


class ProcessHeartbeat(models.Model):
    """The last sign of life of a long-running process (a task worker, a scheduler), written every few
    seconds from a thread (`core.resilience.Heartbeat`). `/readyz` reads it: no fresh worker beat means
    queued jobs would wait forever. A process that stops cleanly deletes its row."""

    class Kind(models.TextChoices):
        WORKER = "worker", "后台任务进程"
        SCHEDULER = "scheduler", "定时任务进程"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("进程", max_length=200)  # host:pid
    state = models.CharField("状态", max_length=60, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = verbose_name_plural = "进程心跳"
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="processheartbeat_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} @ {self.beat_at:%H:%M:%S}"


class DemoLoad(models.Model):
    """Which module's part of the demo district has been built, so `kechuang demo` can be re-run."""

    app_label = models.CharField(max_length=40, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "演示数据加载记录"

    def __str__(self) -> str:
        return self.app_label


class ScheduledRun(models.Model):
    """One run of a scheduled job for one time slot. The unique constraint is the lock: when several app
    servers run the scheduler, exactly one inserts the row for a slot and runs the job."""

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=60)
    slot = models.CharField("时段", max_length=40)
    host = models.CharField("执行主机", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    output = models.TextField("输出", blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "定时任务记录"
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot}"


class ImportRow(models.Model):
    """One row of an import's preview, computed by the worker and stored so the page shows it a page at a
    time: what committing the file would do to that row (new / changed old → new / unchanged / error)."""

    class Outcome(models.TextChoices):
        NEW = "new", "新增"
        CHANGED = "changed", "修改"
        UNCHANGED = "unchanged", "未变化"
        ERROR = "error", "错误"

    job = models.ForeignKey(Job, models.CASCADE, related_name="import_rows")
    number = models.PositiveIntegerField("行号")  # as Excel shows it; 0 for the sheet as a whole
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    label = models.CharField("记录", max_length=200, blank=True)  # the row's key values, e.g. its credit code
    changes = models.JSONField("变化", default=list, blank=True)  # [[column, stored, in the file], …]
    note = models.TextField("说明", blank=True)  # errors, or a change over another source's value
    # a valid row's cells as converted (`imports.values`), so the commit job checks them without the file
    data = models.JSONField("单元格", null=True, blank=True, encoder=DjangoJSONEncoder)
    # what the row's diff was computed from (the stored record's version…: `ImportSpec.stamps`), so the commit
    # job proves the records unchanged since the preview without comparing the row again
    stamp = models.JSONField("比对版本", null=True, blank=True)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = verbose_name_plural = "导入预览行"
        indexes = [models.Index(fields=["job", "outcome", "number"], name="core_importrow_job_idx")]

    def __str__(self) -> str:
        return f"{self.job_id} 第{self.number}行 {self.get_outcome_display()}"


class ImportRecord(models.Model):
    """One record a committed import created or changed, and its version before and after: what undoing the
    import restores (`imports.history`). Kept with the import's job, so the history lists what it touched.

    For a record without version history (an organisation, a firm profile: ADR 0030) `model` names its model
    and `changes` what the import wrote — field (attname) → [value before, value written], JSON-native — so
    undo can give the old values back where the record still holds the written ones."""

    job = models.ForeignKey(Job, models.CASCADE, related_name="import_records")
    record_id = models.BigIntegerField("记录")
    version_before = models.PositiveIntegerField("导入前版本", null=True, blank=True)  # None: created
    version_after = models.PositiveIntegerField("导入后版本")
    model = models.CharField(
        "数据类型", max_length=60, blank=True, default=""
    )  # "": the spec's versioned model
    changes = models.JSONField("修改的字段", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入涉及的记录"
        indexes = [models.Index(fields=["job", "record_id"], name="core_importrecord_job_idx")]

    def __str__(self) -> str:
        return f"{self.job_id} #{self.record_id} v{self.version_before}→v{self.version_after}"
