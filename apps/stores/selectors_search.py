"""Smart search (完善门户智能搜索, STORE-2.f) over the matters public guide search: the query text is
segmented into words, each word is widened by the associated words portal administrators set for it,
the division scope narrows by region-code prefix, and related keywords are offered. The rows, their
order and the bounded count come from apps.matters (selectors.public_guides + selectors_public.
guide_search_page), so the smart search and the plain guide search cannot disagree about a matter."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.models import Region, RegionLevel
from apps.matters import selectors as matter_selectors
from apps.matters.selectors_public import GuidePage, guide_search_page
from apps.stores.models import KeywordAssociation
from apps.stores.segmentation import segment

MAX_TERMS = 8
MAX_RELATED = 10


@dataclass
class SmartSearch:
    text: str
    words: list[str]
    terms: list[str]
    expansions: dict[str, list[str]]
    related: list[str]
    region: Region | None
    page: GuidePage | None
    relaxed: bool = False
    number: int = 1
    errors: dict = field(default_factory=dict)


def associations() -> dict[str, list[str]]:
    """Enabled keyword → associated words (one query)."""
    return {k: list(words) for k, words in
            KeywordAssociation.objects.filter(is_enabled=True).values_list("keyword", "associated_words")}


def search_regions():
    """The division scopes a user may choose: the province and its cities (市地), then counties."""
    return Region.objects.filter(level__lte=RegionLevel.COUNTY).order_by("code").only("code", "name", "level")


def _region(code: str) -> Region:
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if code.isdigit() and len(code) == 12 else None
    if region is None:
        raise ValidationError({"region": _("请选择有效的查询区划。")})
    return region


def _group(term: str, words: list[str]) -> Q:
    q = Q()
    for word in [term, *words]:
        q |= Q(name__icontains=word)
    if term.isascii() and term.isalnum():
        q |= Q(implementation_code__startswith=term.upper()) | Q(basic_code__startswith=term.upper())
    return q


def _related(terms: list[str], table: dict[str, list[str]]) -> list[str]:
    """Associated words of the matched keywords, then keywords whose own words share a term."""
    related: list[str] = []
    for term in terms:
        related += table.get(term, [])
    for keyword, words in table.items():
        if keyword in terms:
            continue
        if any(t in keyword or any(t in w for w in words) for t in terms):
            related.append(keyword)
    out: list[str] = []
    for word in related:
        if word not in terms and word not in out:
            out.append(word)
    return out[:MAX_RELATED]


def _region_in_terms(terms: list[str]) -> tuple[Region | None, list[str]]:
    """A division named in the text ("哈尔滨", "道里区") becomes the search scope instead of a word to match
    in matter names (one query). The most specific one wins."""
    names = {}
    for term in terms:
        for name in (term, f"{term}市", f"{term}区", f"{term}县"):
            names.setdefault(name, term)
    found = list(Region.objects.filter(name__in=list(names), code__startswith="23", level__lte=RegionLevel.COUNTY)
                 .order_by("-level", "code")[:1])
    if not found:
        return None, terms
    return found[0], [t for t in terms if t != names[found[0].name]]


def smart_search(*, text: str, region_code: str = "", page: int = 1, page_size: int = 20) -> SmartSearch:
    """One page of published guides for `text` (segmented, widened by associations) inside the chosen
    division. Raises ValidationError for an unknown region code or a query with no searchable word."""
    text = (text or "").strip()[:100]
    region = _region(region_code) if region_code else None
    table = associations()
    extra = list(table) + [w for words in table.values() for w in words]
    segmented = segment(text, extra_words=extra)
    terms = segmented.terms[:MAX_TERMS]
    if region is None and len(terms) > 1:
        region, terms = _region_in_terms(terms)
    if not terms:
        raise ValidationError({"q": _("请输入要搜索的事项名称或关键词。")})
    expansions = {t: table[t] for t in terms if table.get(t)}
    base = matter_selectors.public_guides()
    if region is not None:
        base = base.filter(region__code__startswith=region.prefix)
    strict = Q()
    for term in terms:
        strict &= _group(term, expansions.get(term, []))
    result = guide_search_page(base.filter(strict), page=page, page_size=page_size)
    relaxed = False
    if (result is None or not result.rows) and len(terms) > 1 and page == 1:
        loose = Q()
        for term in terms:
            loose |= _group(term, expansions.get(term, []))
        result, relaxed = guide_search_page(base.filter(loose), page=page, page_size=page_size), True
    return SmartSearch(text=text, words=segmented.words, terms=terms, expansions=expansions,
                       related=_related(terms, table), region=region, page=result, relaxed=relaxed, number=page)
