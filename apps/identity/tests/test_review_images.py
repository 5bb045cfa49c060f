"""IDN-10.1 / 10.2: a person the online real-name check could not confirm registers with the two
sides of the document; the reviewer sees the images, rotates them (the stored file really turns,
90° clockwise per click) and approves or rejects with a reason; temporary legal persons' proof
images rotate the same way."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.models import AuditLog
from apps.identity.models import RealNameLevel, RegistrationImage, ReviewStatus, User
from apps.identity.tests.conftest import PERSON_ID, PERSON_NAME, give

pytestmark = pytest.mark.django_db
STEP1 = {"id_type": "resident_id", "name": PERSON_NAME, "id_number": PERSON_ID, "valid_from": "2015-01-01",
         "valid_to": "2035-01-01"}
ACCOUNT = {"username": "zhangsan", "mobile_number": "13800001111", "password": "Hlj#Reg2026x",
           "password_confirm": "Hlj#Reg2026x", "home_region": "230102000000", "action": "register"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(width=60, height=30, fmt="PNG", name="front.png") -> SimpleUploadedFile:
    """A marked picture: red in the top-left corner, so a rotation can be seen in the pixels."""
    image = Image.new("RGB", (width, height), "white")
    for x in range(10):
        for y in range(10):
            image.putpixel((x, y), (255, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored(image: RegistrationImage) -> Image.Image:
    image.refresh_from_db()
    with image.image.open("rb") as handle:
        picture_ = Image.open(handle)
        picture_.load()
    return picture_


def is_red(pixel) -> bool:
    return pixel[0] > 200 and pixel[1] < 80 and pixel[2] < 80


@pytest.fixture
def reviewer(staff):
    user = staff["province"]
    give(user, "identity.review_registration")
    return user


@pytest.mark.spec("IDN-10.1", "IDN-5.2")
def test_unconfirmed_person_registers_with_images_and_the_reviewer_rotates_and_decides(
        client, identity_peers, regions, reviewer, django_capture_on_commit_callbacks):
    refused = client.post("/sso/register/person/", STEP1).content.decode()   # registries do not know the person
    assert "核验未通过" in refused and 'data-testid="offer-manual"' in refused
    assert client.post("/sso/register/person/", {**STEP1, "action": "manual"})["Location"] == \
        "/sso/register/person/account/"
    page = client.get("/sso/register/person/account/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="id_front"' in page and 'name="id_back"' in page
    # a missing side or a file that is no picture is refused, nothing written
    missing = client.post("/sso/register/person/account/", {**ACCOUNT, "id_front": picture()})
    assert missing.status_code == 200 and "请上传证件反面" in missing.content.decode()
    fake = SimpleUploadedFile("back.png", b"not a picture", content_type="image/png")
    bad = client.post("/sso/register/person/account/", {**ACCOUNT, "id_front": picture(), "id_back": fake})
    assert "不是有效的图片" in bad.content.decode()
    assert not User.objects.filter(username="zhangsan").exists() and not RegistrationImage.objects.exists()
    done = client.post("/sso/register/person/account/", {**ACCOUNT, "id_front": picture(),
                                                          "id_back": picture(name="back.jpg", fmt="JPEG")})
    assert done["Location"] == "/sso/account/"
    person = User.objects.get(username="zhangsan")
    assert person.review_status == ReviewStatus.PENDING and person.real_name_level == RealNameLevel.NONE
    front = person.registration_images.get(side="id_front")
    # the citizen (and anonymous visitors) cannot read the stored images
    assert client.get(f"/portal/identity/reviews/images/{front.pk}/").status_code in (302, 403)
    client.logout()
    client.force_login(reviewer)
    assert person.username in client.get("/portal/identity/reviews/?kind=natural_person").content.decode()
    detail = client.get(f"/portal/identity/reviews/{person.pk}/").content.decode()
    assert detail.count('data-testid="review-image"') == 2 and "点击图片顺时针旋转" in detail
    served = client.get(f"/portal/identity/reviews/images/{front.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert stored(front).size == (60, 30) and is_red(stored(front).getpixel((2, 2)))
    old_name = front.image.name
    with django_capture_on_commit_callbacks(execute=True):      # the replaced file goes after the commit
        client.post(f"/portal/identity/reviews/images/{front.pk}/", {"direction": "right"})   # one click
    turned = stored(front)
    assert turned.size == (30, 60) and front.rotation == 90
    assert is_red(turned.getpixel((27, 2))) and not is_red(turned.getpixel((2, 2)))       # top-left → top-right
    assert front.image.name != old_name and not front.image.storage.exists(old_name)
    for _ in range(3):
        client.post(f"/portal/identity/reviews/images/{front.pk}/", {"direction": "right"})
    assert stored(front).size == (60, 30) and front.rotation == 0 and is_red(stored(front).getpixel((2, 2)))
    client.post(f"/portal/identity/reviews/images/{front.pk}/", {"direction": "left"})
    left = stored(front)
    assert front.rotation == 270 and is_red(left.getpixel((2, 57)))                          # top-left → bottom-left
    assert AuditLog.objects.filter(detail__startswith="审核图片旋转").count() == 5
    # reject needs a reason; then the images can no longer be turned
    client.post(f"/portal/identity/reviews/{person.pk}/", {"decision": "reject", "opinion": ""})
    assert User.objects.get(pk=person.pk).review_status == ReviewStatus.PENDING
    client.post(f"/portal/identity/reviews/{person.pk}/", {"decision": "reject", "opinion": "证件照片模糊"})
    assert User.objects.get(pk=person.pk).review_status == ReviewStatus.REJECTED
    client.post(f"/portal/identity/reviews/images/{front.pk}/", {"direction": "right"})
    assert stored(front).size == (30, 60) and front.rotation == 270


def test_an_unconfirmed_token_cannot_open_the_temporary_legal_person_flow(identity_peers, regions):
    from django.core.exceptions import ValidationError

    from apps.identity.services.registration import temporary_legal_person_register
    from apps.identity.services.registration_images import (
        registration_check_person_for_review,
    )

    token, review = registration_check_person_for_review(data=STEP1)
    assert review
    with pytest.raises(ValidationError, match="身份核验结果无效"):
        temporary_legal_person_register(verification_token=token, data={**ACCOUNT, "enterprise_name": "某公司"})
    assert not User.objects.filter(username="zhangsan").exists()


@pytest.mark.spec("IDN-10.2")
def test_temporary_legal_person_images_rotate_in_review(client, identity_peers, regions, reviewer, send_code):
    identity_peers.person()
    step1 = {**STEP1, "enterprise_type": "enterprise", "enterprise_name": "临时测试公司"}
    assert client.post("/sso/register/temporary/", step1)["Location"] == "/sso/register/temporary/account/"
    page = client.get("/sso/register/temporary/account/").content.decode()
    assert 'name="licence"' in page and 'enctype="multipart/form-data"' in page
    code = send_code("13800001111", "legal_register")
    done = client.post("/sso/register/temporary/account/", {**ACCOUNT, "enterprise_name": "临时测试公司",
                                                             "sms_code": code, "licence": picture(name="l.png")})
    assert done.status_code == 302
    applicant = User.objects.get(username="zhangsan")
    assert applicant.is_temporary_legal_person and applicant.review_status == ReviewStatus.PENDING
    licence = applicant.registration_images.get()
    client.force_login(reviewer)
    detail = client.get(f"/portal/identity/reviews/{applicant.pk}/").content.decode()
    assert 'data-testid="temporary-badge"' in detail and 'data-testid="review-image"' in detail
    client.post(f"/portal/identity/reviews/images/{licence.pk}/", {"direction": "right"})
    assert stored(licence).size == (30, 60) and licence.rotation == 90
