"""Simulators of the identity-check peers: real WSGI apps served by SimulatorServer in tests and
by `manage.py run_identity_simulators` in development. Each holds a small register that tests
(or the command's seed) fill, and answers `POST /verify` like the real registry would."""
from __future__ import annotations

from apps.core.adapters.simulators import JsonPeerSimulator


class RealNameRegistrySimulator(JsonPeerSimulator):
    """National real-name service or provincial police: persons by ID number."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.persons: dict[str, dict] = {}
        self.queries: list[dict] = []

    def register(self, *, id_number: str, name: str, valid_to: str | None = None) -> None:
        self.persons[id_number.upper()] = {"name": name, "valid_to": valid_to}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        self.queries.append(body)
        if not body.get("id_number") or not body.get("name"):
            return 400, {"error": "name and id_number are required"}
        person = self.persons.get(str(body["id_number"]).upper())
        if person is None:
            return 200, {"result": "mismatch", "message": "查无此人"}
        if person["name"] != body["name"]:
            return 200, {"result": "mismatch", "message": "姓名与证件号码不一致"}
        if person.get("valid_to") and body.get("valid_to") and person["valid_to"] != body["valid_to"]:
            return 200, {"result": "mismatch", "message": "证件有效期不一致"}
        return 200, {"result": "match", "message": "一致"}

    def listing(self) -> dict:
        return {"queries": list(self.queries)}


class EnterpriseRegistrySimulator(JsonPeerSimulator):
    """Market supervision (市监局) or institution registry: enterprises by credit code, with the
    legal representative and the mobile number on record."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.enterprises: dict[str, dict] = {}
        self.queries: list[dict] = []

    def register(self, *, credit_code: str, name: str, legal_representative: str, mobile: str,
                 enterprise_type: str = "enterprise") -> None:
        self.enterprises[credit_code] = {"name": name, "legal_representative": legal_representative,
                                         "mobile": mobile, "enterprise_type": enterprise_type}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        self.queries.append(body)
        record = self.enterprises.get(str(body.get("credit_code", "")))
        if record is None:
            return 200, {"result": "mismatch", "message": "未查询到该统一社会信用代码"}
        if record["name"] != body.get("name"):
            return 200, {"result": "mismatch", "message": "单位名称与登记信息不一致"}
        if record["legal_representative"] != body.get("legal_representative"):
            return 200, {"result": "mismatch", "message": "法定代表人与登记信息不一致"}
        if record["enterprise_type"] != body.get("enterprise_type"):
            return 200, {"result": "mismatch", "message": "主体类型与登记信息不一致"}
        return 200, {"result": "match", "message": "一致", "record": {"registered_mobile": record["mobile"]}}

    def listing(self) -> dict:
        return {"queries": list(self.queries)}


class FaceSimulator(JsonPeerSimulator):
    """Public-security face recognition: a face matches when the image carries the person's marker."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.faces: dict[str, str] = {}

    def register(self, *, id_number: str, face_marker: str) -> None:
        self.faces[id_number.upper()] = face_marker

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        marker = self.faces.get(str(body.get("id_number", "")).upper())
        if marker and marker == body.get("image_base64"):
            return 200, {"result": "match", "message": "人脸比对通过"}
        return 200, {"result": "mismatch", "message": "人脸比对不通过"}

    def listing(self) -> dict:
        return {"faces": len(self.faces)}
