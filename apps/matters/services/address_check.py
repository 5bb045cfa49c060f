"""Online-handling address check (MAT-7.9): a reader that requests every published implementation
item's online-handling address over real HTTP and files what is wrong as `AddressError` rows, which
the department (or its region's 营商局) corrects on the address-error list.

Categories: 地址为空 (an online item without an address), 格式错误 (not an http(s) URL), 地址无法访问
(connection error, timeout, HTTP ≥ 400), 非事项办理页面 (HTTP 200 but the page names neither the
item's implementation code nor its name). An item with an open (uncorrected) error is not filed again.
Runs as a job (apps.core.jobs) from the page or nightly from beat; requests run on a small thread pool
with a short timeout so one hanging portal does not stall the pass."""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import requests
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.matters.models import AddressError, AddressErrorCategory, HandlingForm, ImplementationItem, MatterStatus

CHUNK = 200
ONLINE_FORMS = (HandlingForm.ONLINE, HandlingForm.WINDOW_AND_ONLINE)
_validate_url = URLValidator(schemes=["http", "https"])


def _probe(session: requests.Session, url: str, code: str, name: str, timeout: float) -> tuple[str, str] | None:
    """(category, detail) of what is wrong with `url`, or None when it is the item's page."""
    if not url:
        return AddressErrorCategory.EMPTY, _("网上办理事项未填写网办地址")
    try:
        _validate_url(url)
    except ValidationError:
        return AddressErrorCategory.FORMAT, _("地址格式错误：%(u)s") % {"u": url[:200]}
    try:
        response = session.get(url, timeout=timeout, allow_redirects=True,
                               headers={"User-Agent": "hlj-govplatform-address-check/1.0"})
    except requests.Timeout:
        return AddressErrorCategory.UNREACHABLE, _("访问超时（%(s)s 秒）") % {"s": timeout}
    except requests.RequestException as exc:
        return AddressErrorCategory.UNREACHABLE, _("无法连接：%(e)s") % {"e": type(exc).__name__}
    if response.status_code >= 400:
        return AddressErrorCategory.UNREACHABLE, _("HTTP %(c)d") % {"c": response.status_code}
    text = response.text[:200_000]
    if code not in text and name not in text:
        return AddressErrorCategory.NOT_ITEM_PAGE, _("页面未包含事项名称或实施编码")
    return None


def _source_id(pk: int, url: str, category: str) -> str:
    """One error per item, address, category and day (a re-run the same day files nothing twice)."""
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return f"check:{timezone.localdate():%Y%m%d}:{pk}:{category}:{digest}"


def address_check_run(*, job=None, timeout: float = 5.0, workers: int = 8, region_prefix: str = "") -> dict:
    """Check every published implementation item that is handled online (or has an address);
    returns {"checked", "errors", "skipped"}; progress goes to `job` when given."""
    from apps.core.jobs import job_progress, job_start, job_succeed

    items = (ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED)
             .filter(Q(handling_form__in=ONLINE_FORMS) | ~Q(online_handling_url=""))
             .exclude(address_errors__corrected_at__isnull=True, address_errors__isnull=False))
    if region_prefix:
        items = items.filter(region_id__startswith=region_prefix)
    total = items.count()
    if job is not None:
        job_start(job)
        job_progress(job, 0, total)
    fields = ("pk", "implementation_code", "name", "online_handling_url", "implementing_body_id", "region_id")
    checked = filed = 0
    with requests.Session() as session, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=max(1, workers)))
        session.mount("https://", requests.adapters.HTTPAdapter(pool_maxsize=max(1, workers)))
        rows = items.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                filed += _check_chunk(pool, session, chunk, timeout)
                checked += len(chunk)
                chunk = []
                if job is not None:
                    job_progress(job, checked)
        if chunk:
            filed += _check_chunk(pool, session, chunk, timeout)
            checked += len(chunk)
    summary = {"checked": checked, "errors": filed}
    if job is not None:
        report = _("网办地址检测完成：检测 %(c)d 项，发现错误 %(e)d 项。") % {"c": checked, "e": filed}
        job_succeed(job, filename="address-check.txt", content=report.encode("utf-8"))
    return summary


def _check_chunk(pool, session, chunk: list[tuple], timeout: float) -> int:
    results = pool.map(lambda r: _probe(session, r[3], r[1], r[2], timeout), chunk)
    now = timezone.now()
    rows = []
    for (pk, code, _name, url, body_id, region_id), found in zip(chunk, results):
        if found is None:
            continue
        category, detail = found
        rows.append(AddressError(implementation_item_id=pk, category=category, detail=str(detail)[:255],
                                 online_url=url if url.startswith(("http://", "https://")) else "",
                                 source_id=_source_id(pk, url, category), department_id=body_id,
                                 region_id=region_id, detected_at=now))
    held = set(AddressError.objects.filter(source_id__in=[r.source_id for r in rows]).values_list("source_id", flat=True))
    AddressError.objects.bulk_create([r for r in rows if r.source_id not in held], ignore_conflicts=True)
    return len(rows) - len(held)
