"""Secondary real-name checks (IDN-7.1, 7.2, 7.3, 7.5) through the app API, against real
simulators: the provider must return this account's identity; success is recorded and raises the
level, a failure changes nothing."""
import pytest

from apps.identity.models import RealNameLevel, RealNameVerification, UserKind
from apps.identity.tests.conftest import PERSON_ID, PERSON_NAME
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSPORT = "E98765432"


@pytest.fixture
def person(db):
    return UserFactory(username="rn_person", kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID, full_name=PERSON_NAME,
                       real_name_level=RealNameLevel.BASIC)


@pytest.fixture
def traveller(db):
    return UserFactory(username="rn_traveller", kind=UserKind.NATURAL_PERSON, id_type="passport",
                       id_number=PASSPORT, full_name="李四", real_name_level=RealNameLevel.BASIC)


def verify(api_client, user, method, **data):
    api_client.force_authenticate(user)
    return api_client.post(f"/api/v1/identity/real-name/{method}/", data, format="json")


def assert_unchanged(user, level=RealNameLevel.BASIC):
    user.refresh_from_db()
    assert user.real_name_level == level and not RealNameVerification.objects.filter(user=user).exists()


@pytest.mark.spec("IDN-7.1")
def test_alipay_secondary_real_name(api_client, person, third_parties):
    third_parties.alipay.authorise("rn-other", {"user_id": "2088X", "user_name": "王五", "cert_no": "230102198512124566",
                                                "is_certified": True})
    mismatch = verify(api_client, person, "alipay", auth_code="rn-other")
    assert mismatch.status_code == 400 and "不一致" in str(mismatch.json())
    assert_unchanged(person)
    assert verify(api_client, person, "alipay", auth_code="never-authorised").status_code == 400
    third_parties.alipay.authorise("rn-1", {"user_id": "2088A", "user_name": PERSON_NAME, "cert_no": PERSON_ID,
                                            "is_certified": True})
    response = verify(api_client, person, "alipay", auth_code="rn-1")
    assert response.status_code == 200 and response.json()["real_name_level"] == RealNameLevel.VERIFIED
    check = RealNameVerification.objects.get(user=person)
    assert check.method == "alipay" and check.identity["id_number"] != PERSON_ID      # stored masked
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.VERIFIED


@pytest.mark.spec("IDN-7.2")
def test_exit_entry_document_secondary_real_name(api_client, traveller, third_parties):
    third_parties.exit_entry.register(document_type="passport", document_number=PASSPORT, name="李四",
                                      face_marker="face-lisi")
    assert verify(api_client, traveller, "exit_entry_document", user_type="citizen").status_code == 400
    wrong = verify(api_client, traveller, "exit_entry_document", user_type="citizen", document_type="passport",
                   document_number="E00000000")
    assert wrong.status_code == 400
    assert_unchanged(traveller)
    ok = verify(api_client, traveller, "exit_entry_document", user_type="citizen", document_type="passport",
                document_number=PASSPORT.lower())
    assert ok.status_code == 200 and ok.json()["real_name_level"] == RealNameLevel.VERIFIED
    assert third_parties.exit_entry.requests >= 2


@pytest.mark.spec("IDN-7.3")
def test_exit_entry_face_secondary_real_name(api_client, traveller, third_parties):
    third_parties.exit_entry.register(document_type="passport", document_number=PASSPORT, name="李四",
                                      face_marker="face-lisi")
    base = {"user_type": "citizen", "document_type": "passport", "document_number": PASSPORT}
    assert verify(api_client, traveller, "exit_entry_face", **base).status_code == 400        # no image
    failed = verify(api_client, traveller, "exit_entry_face", **base, image_base64="someone-else")
    assert failed.status_code == 400 and "人脸" in str(failed.json())
    assert_unchanged(traveller)
    ok = verify(api_client, traveller, "exit_entry_face", **base, image_base64="face-lisi")
    assert ok.status_code == 200 and ok.json()["real_name_level"] == RealNameLevel.STRONG


@pytest.mark.spec("IDN-7.5")
def test_social_security_card_secondary_real_name(api_client, person, third_parties):
    third_parties.social_security.refuse("sb-refused")
    assert verify(api_client, person, "social_security", auth_code="sb-refused").status_code == 400
    assert_unchanged(person)
    third_parties.social_security.authorise("sb-1", {"name": PERSON_NAME, "id_number": PERSON_ID, "card_id": "SB"})
    ok = verify(api_client, person, "social_security", auth_code="sb-1")
    assert ok.status_code == 200 and ok.json()["real_name_level"] == RealNameLevel.STRONG


def test_secondary_real_name_authorisation_and_levels_never_drop(api_client, person, third_parties):
    assert api_client.post("/api/v1/identity/real-name/alipay/", {"auth_code": "x"}, format="json").status_code in (
        401, 403)
    legal = UserFactory(kind=UserKind.LEGAL_PERSON)
    third_parties.alipay.authorise("lp", {"user_name": PERSON_NAME, "cert_no": PERSON_ID, "is_certified": True})
    assert verify(api_client, legal, "alipay", auth_code="lp").status_code == 403
    assert verify(api_client, person, "unknown", auth_code="x").status_code == 400
    person.real_name_level = RealNameLevel.STRONG
    person.save()
    third_parties.alipay.authorise("rn-2", {"user_name": PERSON_NAME, "cert_no": PERSON_ID, "is_certified": True})
    assert verify(api_client, person, "alipay", auth_code="rn-2").json()["real_name_level"] == RealNameLevel.STRONG
