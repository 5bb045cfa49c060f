"""The unified attachment store (统一附件管理平台, ACC-18.0) as applicants and staff meet it: every material file
goes through one store — whitelist, content sniffing, virus hook, SM3 digest, dedup — is previewed and
downloaded only inside scope, and is cleaned up after its retention date. Forbidden files write nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.models import (
    Attachment,
    AttachmentBlob,
    AttachmentSource,
    Case,
    CaseMaterial,
)
from apps.acceptance.services import onewindow as ow
from apps.acceptance.services.attachments import attachment_purge_expired
from apps.acceptance.tests import factories as f
from apps.core.crypto import sm3_hex
from apps.core.models import AuditLog
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def item(orgs):
    item, _situation = f.with_materials(f.matter(orgs["harbin_dept"]))
    return item


def _apply(item, applicant, upload, n=1):
    required = item.materials.get(name="申请书")
    return ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(n),
                                applicant_mobile="13900000001", files={str(required.pk): upload})


@pytest.mark.spec("ACC-18.0")
def test_material_files_are_stored_once_by_sm3_and_served_inside_scope_only(client, orgs, item):
    applicant = UserFactory(username="applicant_a", kind=UserKind.NATURAL_PERSON)
    case = _apply(item, applicant, f.upload("申请书.pdf", PDF))
    attachment = Attachment.objects.get(case=case)
    assert attachment.sm3 == sm3_hex(PDF) and attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf" and attachment.source == AttachmentSource.FRONT_END
    assert attachment.original_name == "申请书.pdf" and attachment.uploaded_by == applicant
    assert attachment.retain_until.year == timezone.localdate().year + 30
    material = CaseMaterial.objects.get(case=case, name="申请书")
    assert attachment.material == material and material.file.name == attachment.blob.storage_name

    # the same bytes from another applicant are not stored again
    other_applicant = UserFactory(username="applicant_b", kind=UserKind.NATURAL_PERSON)
    other_case = _apply(item, other_applicant, f.upload("我的申请书.pdf", PDF), n=2)
    assert AttachmentBlob.objects.count() == 1
    second = Attachment.objects.get(case=other_case)
    assert second.blob_id == attachment.blob_id and second.original_name == "我的申请书.pdf"

    # staff of the handling department preview and download it; every access is audited
    clerk = f.clerk(orgs["harbin_dept"])
    client.force_login(clerk)
    listing = client.get(reverse("acceptance:attachment-list"), {"case_number": case.case_number}).content.decode()
    assert "申请书.pdf" in listing and attachment.sm3[:14] in listing and "我的申请书.pdf" not in listing
    preview = client.get(reverse("acceptance:attachment-file", args=[attachment.pk, "preview"]))
    assert preview.status_code == 200 and b"".join(preview.streaming_content) == PDF
    assert preview["Content-Disposition"].startswith("inline") and preview["Content-Security-Policy"] == "sandbox"
    download = client.get(reverse("acceptance:attachment-file", args=[attachment.pk, "download"]))
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditLog.objects.filter(object_id=str(attachment.pk), detail__startswith="attachment").count() == 2

    url = reverse("acceptance:attachment-file", args=[attachment.pk, "download"])
    client.logout()
    assert client.get(url).status_code == 302                                         # anonymous → login
    client.force_login(applicant)
    assert client.get(url).status_code == 200                                         # the applicant: own case
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404                                         # another citizen
    client.force_login(f.clerk(orgs["qiqihar"], username="qq_clerk"))
    assert client.get(url).status_code == 404                                         # another region
    client.force_login(StaffFactory(username="no_perm", organisation=orgs["harbin_dept"]))
    assert client.get(url).status_code == 403                                         # no permission
    assert client.get(reverse("acceptance:attachment-list")).status_code == 403


@pytest.mark.spec("ACC-18.0")
def test_forbidden_files_are_refused_with_nothing_written(orgs, item):
    applicant = UserFactory(username="applicant_c", kind=UserKind.NATURAL_PERSON)
    before = (Case.objects.count(), CaseMaterial.objects.count(), Attachment.objects.count(),
              AttachmentBlob.objects.count())
    stored_before = default_storage.listdir("acceptance/attachments")[0] \
        if default_storage.exists("acceptance/attachments") else []
    refusals = [
        (f.upload("申请书.exe", b"MZ\x90\x00"), "不允许上传"),                       # not on the whitelist
        (f.upload("申请书.pdf", b"MZ\x90\x00 renamed executable"), "与扩展名 .pdf 不符"),  # sniffed content
        (f.upload("申请书.png", PDF), "与扩展名 .png 不符"),
        (f.upload("申请书.pdf", b"%PDF X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE"), "病毒扫描"),
    ]
    for upload, message in refusals:
        with pytest.raises(Exception) as refused:
            _apply(item, applicant, upload)
        assert message in " ".join(getattr(refused.value, "messages", [str(refused.value)])), message
    assert (Case.objects.count(), CaseMaterial.objects.count(), Attachment.objects.count(),
            AttachmentBlob.objects.count()) == before
    stored_after = default_storage.listdir("acceptance/attachments")[0] \
        if default_storage.exists("acceptance/attachments") else []
    assert stored_after == stored_before


@pytest.mark.spec("ACC-18.0")
def test_retention_purges_expired_attachments_and_unused_bytes(client, orgs, item,
                                                               django_capture_on_commit_callbacks):
    applicant = UserFactory(username="applicant_d", kind=UserKind.NATURAL_PERSON)
    content = PDF + b"retention"
    case = _apply(item, applicant, f.upload("申请书.pdf", content))
    attachment = Attachment.objects.get(case=case)
    name = attachment.blob.storage_name
    assert default_storage.exists(name)
    assert attachment_purge_expired(today=attachment.retain_until) == 0                # not yet past retention
    with django_capture_on_commit_callbacks(execute=True):
        purged = attachment_purge_expired(today=attachment.retain_until + timedelta(days=1))
    assert purged == 1 and not default_storage.exists(name)
    attachment.refresh_from_db()
    assert attachment.purged_at is not None and attachment.blob_id is None
    assert not AttachmentBlob.objects.filter(storage_name=name).exists()
    assert CaseMaterial.objects.get(pk=attachment.material_id).file.name == ""
    client.force_login(f.clerk(orgs["harbin_dept"]))
    assert client.get(reverse("acceptance:attachment-file", args=[attachment.pk, "download"])).status_code == 410
