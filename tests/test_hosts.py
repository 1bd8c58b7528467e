"""A host's registrable name and the platforms that never name an outlet (extract/hosts.py)."""

from __future__ import annotations

import pytest

from presswatch.extract.hosts import is_platform, page_host, registrable_domain, site_label
from presswatch.extract.htmlmeta import site_name_keys


@pytest.mark.parametrize(("host", "domain", "label"), [
    ("news.bbc.co.uk", "bbc.co.uk", "bbc"),  # a country registry's second level is not the name
    ("www.smh.com.au", "smh.com.au", "smh"),
    ("edition.cnn.com", "cnn.com", "cnn"),
    ("www.fenwickherald.example", "fenwickherald.example", "fenwickherald"),  # a suffix the list lacks
    ("Harlgazette.Example.", "harlgazette.example", "harlgazette"),
    ("tidewater.blogspot.com", "tidewater.blogspot.com", "tidewater"),  # a blog host's own blogs are sites
    ("localhost", "localhost", "localhost"),
    ("127.0.0.1", None, None),
    ("co.uk", None, None),
    (None, None, None),
])
def test_a_hosts_registrable_domain_and_its_name_part(host, domain, label):
    assert registrable_domain(host) == domain
    assert site_label(host) == label


def test_page_host_unwraps_an_archived_address_and_drops_www():
    assert page_host("https://web.archive.org/web/2016id_/http://www.harlgazette.example/a") == "harlgazette.example"
    assert page_host("https://www.bbc.co.uk/news/1") == "bbc.co.uk"
    assert page_host("no address") is None


@pytest.mark.parametrize(("host", "platform"), [
    ("twitter.com", True), ("m.youtube.com", True), ("www.facebook.com", True), ("wa.me", True), ("t.co", True),
    ("bsky.app", True), ("fenwickherald.example", False), ("news.bbc.co.uk", False), ("social.example", False),
])
def test_platform_hosts_are_told_from_publishers(host, platform):
    assert is_platform(host) is platform


def test_an_html_pages_site_keys_hold_the_name_of_a_country_registry_host():
    assert "bbc" in site_name_keys(None, "news.bbc.co.uk", [])
    assert "co" not in site_name_keys(None, "news.bbc.co.uk", [])
