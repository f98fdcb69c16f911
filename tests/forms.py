"""A form as a browser submits it: the values exactly as the page rendered them."""

from __future__ import annotations

from urllib.parse import urljoin


def form_data(html: str, xpath: str, *, base: str) -> tuple[str, dict[str, list[str]]]:
    """The action and the data of the form `xpath` finds in `html`, as its default submit button
    would send them: text-like inputs with their value, checked boxes and radios, the selected
    options (a single select without one: its first), textareas (less the newline a browser drops
    after the tag), and the first submit button when it has a name. File inputs are left out."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    found = root.xpath(xpath)
    assert found, f"no form at {xpath}"
    form = found[0]
    data: dict[str, list[str]] = {}

    def put(name, value):
        data.setdefault(name, []).append(value)

    pressed = False
    for el in form.iter("input", "select", "textarea", "button"):
        name = el.get("name")
        if el.get("disabled") is not None:
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                if kind == "submit" and not pressed:
                    pressed = True
                    if name:
                        put(name, el.get("value", ""))
                continue
            if not name or kind == "file":
                continue
            if kind in ("checkbox", "radio"):
                if el.get("checked") is not None:
                    put(name, el.get("value", "on"))
                continue
            put(name, el.get("value", ""))
        elif el.tag == "button":
            if (el.get("type") or "submit").lower() == "submit" and not pressed:
                pressed = True
                if name:
                    put(name, el.get("value", ""))
        elif el.tag == "textarea" and name:
            text = el.text or ""
            put(name, text[1:] if text.startswith("\n") else text)
        elif el.tag == "select" and name:
            options = el.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and el.get("multiple") is None:
                chosen = options[:1]
            for o in chosen:
                put(name, o.get("value") if o.get("value") is not None else (o.text or ""))
    action = urljoin(base, form.get("action") or base)
    return action, data
