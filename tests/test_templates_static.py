"""Template hygiene: a page's <title> block holds text only (a stray section there breaks the page)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TITLE_BLOCK = re.compile(r"\{% block title %\}(.*?)\{% endblock", re.S)


def test_title_blocks_contain_no_markup():
    offenders = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
                 for body in TITLE_BLOCK.findall(path.read_text(encoding="utf-8")) if "<" in body]
    assert offenders == []
