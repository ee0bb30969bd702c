"""Who we say we are: the user agent names the project and a contact URL (setting NEWSCRAWL_CONTACT_URL)."""

from __future__ import annotations

from urllib.parse import urlsplit

from newscrawl import __version__
from newscrawl.sites import ConfigError


def check_contact(value) -> str | None:
    """The contact URL (http(s) or mailto:), None when empty; ConfigError naming the setting otherwise.

    >>> check_contact("https://example.org/crawler")
    'https://example.org/crawler'
    """
    text = (value or "").strip()
    if not text:
        return None
    parts = urlsplit(text)
    if (parts.scheme in ("http", "https") and parts.hostname) or (parts.scheme == "mailto" and "@" in parts.path):
        return text
    raise ConfigError(f"setting NEWSCRAWL_CONTACT_URL: {text!r} is not an http(s) or mailto: URL")


def user_agent(contact) -> str:
    """newscrawl/VERSION (+CONTACT), the convention crawlers use so site owners can reach them.

    >>> user_agent("https://example.org/crawler")  # doctest: +ELLIPSIS
    'newscrawl/... (+https://example.org/crawler)'
    """
    try:
        contact = check_contact(contact)
    except ConfigError:
        contact = None  # reported at start-up by the crawl command; never send a malformed header
    return f"newscrawl/{__version__}" + (f" (+{contact})" if contact else "")
