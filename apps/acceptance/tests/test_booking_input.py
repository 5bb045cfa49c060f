"""The booking admission without DRF's per-request machinery where it is not needed (decision 0419).

`PlainInput` vouches only for input the serializer accepts, with the very values (and types) the serializer
gives; everything else goes through `AcceptanceBookingInputSerializer` itself. Shown here: (1) on a large
matrix of inputs, whatever the fast path returns equals the serializer's `validated_data`, and it never
returns anything for input the serializer refuses; (2) through the view, every refusal is byte for byte
the answer of the view as it was (serializer on every request): status, body and headers, in Chinese and in
English, with nothing queued and nothing written; (3) a serializer the fast path cannot reproduce is never
vouched for; (4) the remembered content negotiation answers as DRF's for any Accept / Content-Type / format,
and the 202 / 409 answers rendered at once are the Response's bytes and headers; (5) the OpenAPI schema still
shows the input and answer serializers.
"""
from __future__ import annotations

import itertools
import json
import random
from datetime import time as clock

import pytest
from django.core.validators import RegexValidator
from django.utils import translation
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.acceptance.api.booking_requests import BOOKING_INPUT, AcceptanceBookingRequestApi, ticket_data
from apps.acceptance.api import negotiation
from apps.acceptance.api.negotiation import RememberingContentNegotiation
from apps.acceptance.api.plain_input import PlainInput
from apps.acceptance.api.serializers import AcceptanceBookingInputSerializer
from apps.acceptance.models import Appointment, BookingRequest, BookingRequestState, Slot
from apps.acceptance.services import booking_gate
from apps.acceptance.services.booking import SlotFull
from apps.acceptance.services.booking_queue import booking_request_submit
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.booking_queue_support import next_working_day
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

URL = "/api/v1/acceptance/booking-requests/"
VALID_ID = f.id_number(7)

# Candidate values per field: valid ones, edge cases the serializer accepts, and everything it refuses.
CANDIDATES = {
    "slot": [5, 0, -3, 10**17, 10**19, "5", " 5", "5.0", "05", "1_0", "abc", "", None, True, False, 1.0, 1.5,
             [], {}, "1" * 1001],
    "booker_name": ["张三", "  张三  ", "", "   ", "\u3000", "x" * 64, "x" * 65, " " + "x" * 64 + " ", 123, 1.5,
                    None, True, [], "a\x00b", "a\ud800b", "\t张\n"],
    "mobile_number": ["13800138000", " 13800138000 ", "138001380001", "123", "", 13800138000, None, "\x00"],
    "id_number": [VALID_ID, VALID_ID.lower(), " " + VALID_ID + " ", "1" * 19, "bad", "", None, 230101],
    "channel": ["app", "pc", "window", "", "APP", "nope", None, 1, ["app"]],
}


def _serializer_result(data):
    serializer = AcceptanceBookingInputSerializer(data=data)
    return dict(serializer.validated_data) if serializer.is_valid() else None


def _typed(values: dict | None):
    return None if values is None else {key: (type(value), value) for key, value in values.items()}


def _matrix(size: int = 3000):
    """Every single-field variation of a valid request, plus a fixed random sample of combinations, each
    field sometimes left out."""
    base = {"slot": 5, "booker_name": "张三", "mobile_number": "13800138000", "id_number": VALID_ID,
            "channel": "app"}
    yield dict(base)
    for name, values in CANDIDATES.items():
        yield {key: value for key, value in base.items() if key != name}
        for value in values:
            yield {**base, name: value}
    rng = random.Random(419)
    missing = object()
    for _ in range(size):
        data = {name: rng.choice([*values, missing]) for name, values in CANDIDATES.items()}
        yield {name: value for name, value in data.items() if value is not missing}


def test_the_fast_path_compiles_for_the_booking_serializer():
    assert BOOKING_INPUT.compiled, BOOKING_INPUT.reason


def test_whatever_the_fast_path_vouches_for_is_exactly_what_the_serializer_gives():
    vouched = refused = 0
    for data in _matrix():
        expected, fast = _serializer_result(data), BOOKING_INPUT.validate(data)
        if fast is not None:
            vouched += 1
            assert _typed(fast) == _typed(expected), data
        if expected is None:
            refused += 1
            assert fast is None, data
            with pytest.raises(serializers.ValidationError):
                BOOKING_INPUT.validated_data(data)
        else:
            assert _typed(BOOKING_INPUT.validated_data(data)) == _typed(expected), data
    assert vouched > 50 and refused > 1000, (vouched, refused)


def test_ordinary_requests_take_the_fast_path():
    ordinary = [
        {"slot": 5, "booker_name": "张三", "mobile_number": "13800138000", "id_number": VALID_ID, "channel": "app"},
        {"slot": "12", "booker_name": " 李四 ", "mobile_number": "13800138000", "id_number": VALID_ID},
        {"slot": 5, "channel": "pc"},          # the service refuses the missing booker, not the serializer
        {"slot": 5, "booker_name": "", "mobile_number": "", "id_number": "", "unknown": [1, 2]},
    ]
    for data in ordinary:
        assert BOOKING_INPUT.validate(data) is not None, data
        assert _typed(BOOKING_INPUT.validate(data)) == _typed(_serializer_result(data))
    # the default channel is the serializer's own default object
    assert BOOKING_INPUT.validate({"slot": 5})["channel"] is AcceptanceBookingInputSerializer().fields[
        "channel"].default


def test_non_object_input_and_form_data_go_to_the_serializer():
    from django.http import QueryDict

    for data in ([1, 2], "abc", None, 5, QueryDict("slot=5&booker_name=x")):
        assert BOOKING_INPUT.validate(data) is None


class _WithFieldMethod(serializers.Serializer):
    slot = serializers.IntegerField()

    def validate_slot(self, value):
        return value + 1


class _WithValidate(serializers.Serializer):
    slot = serializers.IntegerField()

    def validate(self, attrs):
        return {"slot": 0}


class _WithOtherField(serializers.Serializer):
    email = serializers.EmailField()


class _WithExtraValidator(serializers.Serializer):
    code = serializers.CharField(validators=[RegexValidator(r"^[A-Z]+$")])


class _WithBounds(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1)


class _WithSource(serializers.Serializer):
    slot = serializers.IntegerField(source="slot_id")


@pytest.mark.parametrize("serializer_class", [_WithFieldMethod, _WithValidate, _WithOtherField, _WithExtraValidator,
                                              _WithBounds, _WithSource])
def test_a_serializer_it_cannot_reproduce_is_never_vouched_for(serializer_class):
    plain = PlainInput(serializer_class)
    assert not plain.compiled and plain.reason
    data = {"slot": 5, "email": "a@b.cn", "code": "abc"}
    assert plain.validate(data) is None
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        assert plain.validated_data(data) == dict(serializer.validated_data)
    else:
        with pytest.raises(serializers.ValidationError):
            plain.validated_data(data)


# --- Through the view: the same answers as the serializer-on-every-request view -------------------------

class _SerializerOnEveryRequestApi(AcceptanceBookingRequestApi):
    """The admission view as it was before decision 0419, kept here as the reference."""

    content_negotiation_class = DefaultContentNegotiation

    def post(self, request):
        data = AcceptanceBookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            ticket = booking_request_submit(slot_id=values.pop("slot"), actor=request.user, **values)
        except Slot.DoesNotExist:
            from django.http import Http404
            raise Http404 from None
        except SlotFull as exc:
            return Response({"message": exc.messages[0], "errors": {"slot": exc.messages}, "code": exc.code or "full"},
                            status=status.HTTP_409_CONFLICT)
        code = status.HTTP_202_ACCEPTED if ticket.state == BookingRequestState.QUEUED else status.HTTP_201_CREATED
        return Response(ticket_data(ticket, f"{request.path}{ticket.request_id}/"), status=code)


BAD_BODIES = [
    {},
    {"slot": None},
    {"slot": "abc"},
    {"slot": True},
    {"slot": 1.5},
    {"slot": "1" * 1001},
    {"slot": []},
    {"slot": "SLOT", "booker_name": None, "mobile_number": [], "id_number": {}, "channel": "nope"},
    {"slot": "SLOT", "booker_name": "x" * 65, **{k: v for k, v in f.booker(1).items() if k != "booker_name"}},
    {"slot": "SLOT", **f.booker(1), "mobile_number": "138001380001"},
    {"slot": "SLOT", **f.booker(1), "id_number": "1" * 19},
    {"slot": "SLOT", **f.booker(1), "booker_name": "a\x00b"},
    {"slot": "SLOT", **f.booker(1), "booker_name": "a\ud800b"},
    {"slot": "SLOT", **f.booker(1), "channel": ""},
    {"slot": "SLOT", **f.booker(1), "channel": None},
    {"slot": "SLOT", **f.booker(1), "channel": 1},
    [1, 2],
    "slot",
    # past the input check: refused by the service (same for both views)
    {"slot": "SLOT", "booker_name": "x", "mobile_number": "123", "id_number": "bad"},
    {"slot": "SLOT", "channel": "app"},
    {"slot": "SLOT", **f.booker(1), "booker_name": "   "},
    {"slot": "SLOT", **f.booker(1), "mobile_number": 12345},
    # an unknown slot: 404 from the gate
    {"slot": 987654, **f.booker(1)},
]


@pytest.fixture
def booking_world(orgs, gate):
    hall = f.hall(orgs["harbin_dept"])
    slot = f.slot(f.bookable(hall), next_working_day(), capacity=2)
    return {"slot": slot, "user": UserFactory(username="input_booker", kind=UserKind.NATURAL_PERSON)}


def _answer(view_class, user, body, content_type="application/json", language="zh-hans", accept=None, query=""):
    """(status, body, headers) of the view, rendered as Django's handler renders it."""
    factory = APIRequestFactory()
    payload = body if isinstance(body, (str, bytes)) else json.dumps(body)
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = factory.post(URL + query, payload, content_type=content_type, **extra)
    force_authenticate(request, user=user)
    with translation.override(language):
        response = view_class.as_view()(request)
        if hasattr(response, "render"):
            response.render()
    return response.status_code, response.content, list(response.items())


def _with_slot(body, slot):
    if isinstance(body, dict) and body.get("slot") == "SLOT":
        return {**body, "slot": slot.pk}
    return body


@pytest.mark.spec("ACC-4.1")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_refusal_is_byte_for_byte_the_serializer_views_answer(booking_world, gate, language):
    user, slot = booking_world["user"], booking_world["slot"]
    seen = set()
    for body in BAD_BODIES:
        body = _with_slot(body, slot)
        new = _answer(AcceptanceBookingRequestApi, user, body, language=language)
        old = _answer(_SerializerOnEveryRequestApi, user, body, language=language)
        assert new == old, body
        assert new[0] in (400, 404), (body, new)
        seen.add(new[0])
    assert seen == {400, 404}
    assert not gate.exists(booking_gate.stream_key()) or gate.xlen(booking_gate.stream_key()) == 0
    assert Appointment.objects.count() == 0 and BookingRequest.objects.count() == 0


def test_chinese_messages_are_kept(booking_world):
    status_code, content, _ = _answer(AcceptanceBookingRequestApi, booking_world["user"], {"slot": "abc"})
    assert status_code == 400
    assert json.loads(content) == {"message": "输入有误，请检查后重试。", "errors": {"slot": ["请填写合法的整数值。"]}}


def test_form_encoded_input_is_answered_as_before(booking_world):
    user, slot = booking_world["user"], booking_world["slot"]
    for form in ("slot=abc&booker_name=x", "booker_name=x", f"slot={slot.pk}&channel=nope",
                 f"slot={slot.pk}&booker_name=x&mobile_number=123&id_number=bad"):
        new = _answer(AcceptanceBookingRequestApi, user, form, content_type="application/x-www-form-urlencoded")
        old = _answer(_SerializerOnEveryRequestApi, user, form, content_type="application/x-www-form-urlencoded")
        assert new == old and new[0] == 400, form
    assert Appointment.objects.count() == 0 and BookingRequest.objects.count() == 0


def test_malformed_json_is_the_parsers_400(booking_world):
    new = _answer(AcceptanceBookingRequestApi, booking_world["user"], b'{"slot": ')
    old = _answer(_SerializerOnEveryRequestApi, booking_world["user"], b'{"slot": ')
    assert new == old and new[0] == 400


# --- Answers rendered at once, and the remembered negotiation ---------------------------------------------

ACCEPTS = [None, "application/json", "*/*", "application/*", "application/json; indent=4", "application/json;q=0.5, "
           "text/html", "text/html", "text/html, application/xhtml+xml, */*;q=0.8", "application/xml", "",
           "application/json, " + "x/y, " * 200]
QUERIES = ["", "?format=json", "?format=api", "?format=xml", "?other=1"]


def _normalised(answer, request_id: str):
    status_code, content, headers = answer
    return status_code, content.replace(request_id.encode(), b"RID"), headers


@pytest.mark.spec("ACC-4.1", "ACC-4.2")
def test_queued_answers_are_the_responses_bytes_and_headers(booking_world, gate):
    """Every Accept / ?format= combination: the same status, headers (in order) and body (the request id aside;
    the browsable API's HTML carries a fresh CSRF token per render, so there only status and headers)."""
    user = booking_world["user"]
    slot = f.slot(booking_world["slot"].bookable_matter, booking_world["slot"].date, start=clock(15), end=clock(16),
                  capacity=1000)
    n = iter(range(100, 10_000))
    kinds = set()
    for accept, query in itertools.product([None, "application/json", "*/*", "application/json; indent=4",
                                            "text/html", "application/xml"], ["", "?format=api", "?format=xml"]):
        answers = []
        for view_class in (AcceptanceBookingRequestApi, _SerializerOnEveryRequestApi):
            status_code, content, headers = _answer(view_class, user, {"slot": slot.pk, **f.booker(next(n))},
                                                    accept=accept, query=query)
            content_type = dict(headers).get("Content-Type", "")
            if content_type.startswith("text/html"):
                content = b"HTML" if b"<html" in content else content
            elif status_code == 202:
                content = content.replace(json.loads(content)["request_id"].encode(), b"RID")
            answers.append((status_code, content, headers))
            kinds.add((status_code, content_type.split(";")[0]))
        assert answers[0] == answers[1], (accept, query)
    assert {(202, "application/json"), (202, "text/html"), (406, "application/json"),
            (404, "application/json")} <= kinds, kinds


def test_a_full_slot_answers_409_as_before(booking_world, gate):
    user, slot = booking_world["user"], booking_world["slot"]
    for n in range(slot.capacity):
        assert _answer(AcceptanceBookingRequestApi, user, {"slot": slot.pk, **f.booker(n)})[0] == 202
    new = _answer(AcceptanceBookingRequestApi, user, {"slot": slot.pk, **f.booker(50)})
    old = _answer(_SerializerOnEveryRequestApi, user, {"slot": slot.pk, **f.booker(51)})
    assert new == old and new[0] == 409
    assert json.loads(new[1])["code"] == "full" and "约满" in json.loads(new[1])["message"]
    assert ("Content-Type", "application/json") in new[2]


def _negotiation(negotiator, accept, query, content_type):
    factory = APIRequestFactory()
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(factory.generic("POST", URL + query, b"{}", content_type=content_type, **extra))
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    parsers = [JSONParser(), FormParser(), MultiPartParser()]
    try:
        renderer = negotiator.select_renderer(request, renderers)
        chosen = (renderers.index(renderer[0]), renderer[1])
    except Exception as exc:  # noqa: BLE001 - the refusal itself is compared
        chosen = (type(exc), str(exc))
    parser = negotiator.select_parser(request, parsers)
    return chosen, None if parser is None else parsers.index(parser)


def test_the_remembered_negotiation_answers_as_drfs():
    content_types = ["application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
                     "multipart/form-data; boundary=x", "text/plain", "", "application/" + "x" * 300]
    for accept, query, content_type in itertools.product(ACCEPTS, QUERIES, content_types):
        expected = _negotiation(DefaultContentNegotiation(), accept, query, content_type)
        for _round in range(2):                         # the second answer comes from the table
            assert _negotiation(RememberingContentNegotiation(), accept, query, content_type) == expected, (
                accept, query, content_type)


def test_the_negotiation_table_stays_small():
    for n in range(negotiation.SIZE * 3):
        _negotiation(RememberingContentNegotiation(), f"application/json, x/y{n}", "", f"application/json; v={n}")
    assert len(negotiation._renderers) <= negotiation.SIZE and len(negotiation._parsers) <= negotiation.SIZE


def test_the_schema_still_shows_the_input_and_answer_serializers():
    from drf_spectacular.generators import SchemaGenerator

    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"][URL]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/AcceptanceBookingInputRequest"}
    for code in ("201", "202"):
        assert operation["responses"][code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/AcceptanceBookingRequestState"}
