"""Printable join cards: one card per team and role with its code and a QR code, as one HTML page.

The facilitator prints the page (or shows it on the projector) and cuts it into cards. With a
``url`` (the class server's address) the QR code opens ``url?code=CODE``; without one it holds
the code itself. Every text on the page is HTML-escaped: team names are typed by people.
"""

from __future__ import annotations

import html
import io
from urllib.parse import urlencode, urlsplit

import pandas as pd
import segno

from ..common.checks import require_columns
from .errors import RoleplayError

__all__ = ["join_cards_html", "join_link"]

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 12mm; }
h1 { font-size: 16pt; }
.cards { display: flex; flex-wrap: wrap; gap: 4mm; }
.card { border: 1px dashed #888; width: 58mm; padding: 3mm; page-break-inside: avoid; }
.team { font-weight: bold; font-size: 12pt; }
.role { font-size: 10pt; margin: 1mm 0; }
.code { font-family: monospace; font-size: 20pt; letter-spacing: 2px; }
.link { font-size: 7pt; word-break: break-all; color: #555; }
"""


def join_link(url: str, code: str) -> str:
    """The address a QR code opens: ``url`` with ``?code=CODE`` added."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RoleplayError(f"url must be an http:// or https:// address such as http://192.168.1.5:8765/; got {url!r}")
    sep = "&" if parts.query else "?"
    return f"{url}{sep}{urlencode({'code': code})}"


def _qr_svg(text: str) -> str:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=3, xmldecl=False, svgns=True)
    return buf.getvalue().decode("ascii")


def join_cards_html(codes: pd.DataFrame, *, title: str, url: str | None = None) -> str:
    """A printable HTML page of join cards.

    Parameters
    ----------
    codes : DataFrame
        ``Classroom.join_codes()``: needs ``team``, ``role``, ``role_en``, ``role_zh`` and ``code``.
    title : str
        The page's heading (the card's title).
    url : str, optional
        The class server's address; each QR code then opens ``url?code=CODE``.
    """
    require_columns(codes, "codes", ["team", "role", "role_en", "role_zh", "code"])
    esc = html.escape
    cards = []
    for row in codes.itertuples(index=False):
        target = join_link(url, row.code) if url else row.code
        link = f'<div class="link">{esc(target)}</div>' if url else ""
        cards.append(
            '<div class="card">'
            f'<div class="team">{esc(str(row.team) or "—")}</div>'
            f'<div class="role">{esc(str(row.role_zh))} · {esc(str(row.role_en))}</div>'
            f'<div class="code">{esc(str(row.code))}</div>'
            f"{_qr_svg(target)}{link}</div>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{esc(title)} — 加入代码 / join codes</h1>"
        f'<div class="cards">{"".join(cards)}</div></body></html>\n'
    )
