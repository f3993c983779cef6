"""The task worker parses uploads under a memory cap and survives a job that needs more (issue 25)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from kechuang.core import memlimit, services
from kechuang.core.imports import engine
from kechuang.core.models import Job
from kechuang.core.tasks import run_import_job
from kechuang.core.tests.test_imports import code, org_sheet

CHILD = """
import sys
import django
django.setup()
from kechuang.core import memlimit
print("web", memlimit.apply_if_worker(["kechuang", "runserver"]))
print("worker", memlimit.apply_if_worker(["kechuang", "db_worker", "--queue-name", "default"]))
print("again", memlimit.apply(4096))
try:
    hog = bytearray(1024 * 1024 * 1024)
    print("allocated")
except MemoryError:
    print("MemoryError")
"""


def test_only_the_worker_is_capped_and_an_allocation_over_the_cap_is_a_memory_error():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KECHUANG_TESTING": "1",
        "KECHUANG_WORKER_MEMORY_MB": "900",
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    lines = child.stdout.split("\n")
    assert lines[0] == "web None"
    assert lines[1] == f"worker {900 * 1024 * 1024}"
    assert lines[2] == f"again {900 * 1024 * 1024}"  # a later call never raises the cap
    assert lines[3] == "MemoryError"


def test_zero_means_no_cap():
    assert memlimit.apply(0) is None


@pytest.mark.django_db
def test_a_job_that_runs_out_of_memory_fails_with_a_chinese_message_and_the_task_returns(
    staff, monkeypatch, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    data = org_sheet([[1, "内存企业有限公司", code(900), None, None, None, None, None]])
    attachment = services.attachment_store(actor=staff, data=data, original_name="名录.xlsx", kind="import")
    job = Job.objects.create(
        kind="import",
        title="导入：企业名录",
        total=1,
        params={"spec": "organisations", "attachment": attachment.uid.hex},
        created_by=staff,
    )

    def out_of_memory(*args, **kwargs):  # what a parse over the worker's RLIMIT_AS raises
        raise MemoryError

    monkeypatch.setattr(engine, "preview", out_of_memory)
    assert run_import_job.call(job.pk) == Job.Status.FAILED  # returned: the worker loop goes on
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "内存超过后台任务的上限" in job.message and "未导入任何数据" in job.message
