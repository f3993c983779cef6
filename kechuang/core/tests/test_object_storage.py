"""Attachments in S3-compatible object storage (KECHUANG_STORAGE=s3), against a real S3 HTTP endpoint.

The endpoint is moto's S3 server on loopback — the same wire protocol MinIO speaks — so the whole path is
exercised: django-storages, boto3, signing, path-style addressing, the bucket, and the permission-checked
download view streaming the object back."""

import hashlib

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse
from moto.server import ThreadedMotoServer

from kechuang.core import services
from kechuang.core.models import Attachment

BUCKET = "kechuang-attachments"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="kc",
        aws_secret_access_key="kc-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "kc",
                "secret_key": "kc-secret",
                "location": "zhoucun",
                "addressing_style": "path",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_attachment_lands_in_the_bucket_and_downloads_through_the_permission_check(
    db, s3_storage, staff, client
):
    assert type(storages["default"]).__name__ == "S3Storage"
    attachment = services.attachment_store(
        actor=staff, data=PDF, original_name="验收报告.pdf", kind="acceptance"
    )
    key = f"zhoucun/{attachment.file.name}"
    stored = s3_storage.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256

    client.force_login(staff)
    response = client.get(reverse("core:attachment_download", args=[attachment.uid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_failed_row_write_removes_the_object(db, s3_storage, staff, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.attachment_store(actor=staff, data=PDF, original_name="x.pdf")
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
