"""Walking the pages as a person would: the links a page offers, the words it shows.

Shared by the page-wide checks (no raw code in the Chinese interface, no link to a 403, every
home tile opens the list it counts) and usable by hand against the demo district.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from django.db import models

import greenlight

# Links a crawl never follows: they change state, leave the HTML pages or are files.
SKIP_PREFIXES = ("/logout/", "/i18n/", "/api/", "/static/", "/healthz", "/login/")
FILE_SUFFIXES = (".xlsx", ".svg", ".json", ".csv", ".docx", ".ics", ".bpmn", ".pdf", ".png")
# Attributes whose text a person sees (on hover, in an empty field, read aloud).
SEEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

# Codes that are not TextChoices but travel as values all the same.
EXTRA_CODES = {
    # approval actions (greenlight.approvals.workflow)
    "consult",
    "submit",
    "accept",
    "not_accept",
    "pause",
    "resume",
    "approve",
    "withdraw",
    # the lights of approvals and tickets
    "red",
    "yellow",
    "green",
    "waiting",
}


def choice_values() -> dict[str, set[str]]:
    """Every value of every `Choices` class of the platform's apps, with where it comes from."""
    found: dict[str, set[str]] = defaultdict(set)
    for info in pkgutil.walk_packages(greenlight.__path__, "greenlight."):
        name = info.name
        if any(part in name for part in (".tests", ".migrations", ".management")):
            continue
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that needs a server or a PDF engine
            continue
        for cls_name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, models.Choices) and obj.__module__ == name:
                for value in obj.values:
                    if isinstance(value, str) and value:
                        found[value].add(f"{name}.{cls_name}")
    for code in EXTRA_CODES:
        found[code].add("extra")
    return dict(found)


def _tree(html: str):
    from lxml import html as lxml_html

    return lxml_html.fromstring(html or "<html></html>")


def visible_text(html: str) -> str:
    """The words a person sees on the page: text outside scripts and styles, plus tooltips,
    placeholders, labels read aloud and image alternatives, one chunk a line."""
    root = _tree(html)
    for bad in root.xpath("//script|//style|//template|//noscript"):
        bad.drop_tree()
    chunks = [t.strip() for t in root.xpath("//body//text()") if t.strip()]
    for attr in SEEN_ATTRIBUTES:
        chunks += [v.strip() for v in root.xpath(f"//body//@{attr}") if v.strip()]
    chunks += [
        v.strip()
        for v in root.xpath(
            "//body//input[@type='submit' or @type='button' or @type='reset']/@value"
        )
    ]
    return "\n".join(chunks)


def raw_codes(text: str, codes: Iterable[str]) -> set[str]:
    """The codes that appear in `text` as whole words (case-sensitive: 'API' is no 'api')."""
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    return {c for c in codes if c in words}


def links(html: str, base: str) -> list[str]:
    """The same-site pages a page links to (anchors and GET forms' targets), absolute paths."""
    root = _tree(html)
    out = []
    for href in root.xpath("//a/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("testserver", ""):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        out.append(path)
    return out


def followable(path: str) -> bool:
    """A page the crawl may request: not a state change, not a file, not the API."""
    bare = urlsplit(path).path
    return not bare.startswith(SKIP_PREFIXES) and not bare.endswith(FILE_SUFFIXES)


def pattern(path: str) -> str:
    """The shape of a URL: numbers stand for any object (`/projects/<n>/`), query keys kept."""
    parts = urlsplit(path)
    shape = re.sub(r"/\d+(?=/|\.|$)", "/<n>", parts.path)
    keys = sorted({kv.split("=", 1)[0] for kv in parts.query.split("&") if kv})
    return shape + ("?" + "&".join(keys) if keys else "")


def crawl(
    client, start: Iterable[str], *, per_pattern: int = 2, limit: int = 400
) -> Iterator[tuple[str, str | None, object]]:
    """Breadth-first over the site from `start`: yields (url, the page it was found on,
    response), every start page and at most `per_pattern` other URLs of each shape, `limit`
    requests in all."""
    seen: set[str] = set()
    shapes: dict[str, int] = defaultdict(int)
    queue: list[tuple[str, str | None]] = [(u, None) for u in start]
    first = set(queue)  # the starting pages are all walked, whatever their shape
    done = 0
    while queue and done < limit:
        url, found_on = queue.pop(0)
        if url in seen or not followable(url):
            continue
        seen.add(url)
        shape = pattern(url)
        if shapes[shape] >= per_pattern and (url, found_on) not in first:
            continue
        shapes[shape] += 1
        response = client.get(url)
        done += 1
        yield url, found_on, response
        ctype = response.get("Content-Type", "")
        if response.status_code == 200 and ctype.startswith("text/html"):
            for link in links(response.content.decode(), url):
                if link not in seen:
                    queue.append((link, url))
