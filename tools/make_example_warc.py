"""Build examples/warc/crawl.warc.gz: a small crawl of fictional news pages.

The WARC exercises what a reader must handle in real crawls: HTML responses to keep, a request
record and non-HTML responses (robots.txt, an image) to skip. Record ids and dates are fixed so
that running the script again gives the same file byte for byte, and a test can check the committed
file against it.

Usage: .venv/bin/python tools/make_example_warc.py [OUTPUT]
"""

from __future__ import annotations

import io
import sys
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "examples" / "warc" / "crawl.warc.gz"

# Record ids derive from the target URI so they stay stable between runs.
RECORD_ID_NAMESPACE = uuid.UUID("6f1c3a52-9d0e-4b7a-8a55-0c1b2d3e4f50")

RESCUE_CENTRE_OPENS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Saltreach rescue centre opens with crews from all four basin states | Lerin Coast Online</title>
<meta property="og:title" content="Saltreach rescue centre opens with crews from all four basin states">
<meta property="og:site_name" content="Lerin Coast Online">
<meta property="article:published_time" content="2024-09-12T11:30:00+02:00">
<meta name="author" content="Lasse Moberg">
</head>
<body>
<div class="cookie-notice">Cookies: this site uses cookies. By continuing to browse you agree to our use of cookies. <button>OK</button></div>
<header><a href="/">Lerin Coast Online</a><p>News from Saltreach, the coast and the islands</p>
<nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li><li><a href="/lerin-basin">Lerin Basin</a></li>
<li><a href="/ports">Fishing &amp; Ports</a></li><li><a href="/weather">Weather</a></li><li><a href="/events">Events</a></li></ul></nav>
</header>
<main>
<article>
<h1>Saltreach rescue centre opens with crews from all four basin states</h1>
<p class="byline">By Lasse Moberg &middot; 12 September 2024</p>
<p>The Lerin Basin's joint maritime rescue centre opened in the old customs house on Saltreach's North Quay on Thursday, six months after ministers agreed to build it at a tense meeting in Port Aldane.</p>
<p>Crews from Varnia, Tarsenia, the Selvan Federation and the Free City of Caldrun will share the centre's two lifeboats and its radio room, which covers the whole of the Lerin Strait.</p>
<p>"Today nobody asked me which flag a lifeboat flies," Varnian Foreign Minister Anneli Korhel said as she cut the ribbon. "That is how it should be."</p>
<p>The centre's first director, Commander Ines Kavala of the Tarsenian coastguard, said the crews had already answered four calls during their trial weeks, including a trawler that lost its engine off Caldrun.</p>
<p>A Selvan crew chief, Lieutenant Arkady Sevrin, told Lerin Coast Online that his team had trained with the Varnian lifeboat volunteers all summer and that "the sea does not read the newspapers".</p>
<p>The observer plan that divided the March meeting was not mentioned in any of the speeches.</p>
</article>
<aside><h2>More from Lerin Basin</h2><ul>
<li><a href="/lerin-basin/cable">Lerin Link: ministers to meet in Skelby in October</a></li>
<li><a href="/local/quay-cafe">Quay caf&eacute; celebrates with free chowder</a></li></ul></aside>
</main>
<footer><p>Lerin Coast Online | North Quay 4, Saltreach | Varnia</p><p>Copyright 2024 Lerin Coast Media</p></footer>
</body>
</html>
"""

CUTTERS_ORDERED = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Radio Skelby - Tarsenia orders two coastguard cutters for the strait</title>
</head>
<body>
<div id="consent">Radio Skelby uses cookies to measure audiences. <a href="/cookies">Settings</a> <a href="#">Accept</a></div>
<div class="header"><span class="logo">Radio Skelby</span> <span class="claim">Tarsenia's public radio</span>
<ul class="nav"><li>News</li><li>Listen live</li><li>Podcasts</li><li>Programmes</li><li>Music</li><li>Traffic</li></ul></div>
<div class="player">Now playing: Skelby Morning with Kari Lund</div>
<div class="article">
<h1>Tarsenia orders two coastguard cutters for the strait</h1>
<div class="info">News desk | 12.06.2025 07:40</div>
<p>Tarsenia has ordered two new coastguard cutters to patrol its waters in the Lerin Strait, the defence ministry in Skelby announced on Thursday.</p>
<p>Defence Minister Halvard Risting said the ships would replace two vessels built in the 1980s and would "carry rescue gear first and weapons second".</p>
<p>The order comes days after Selvan Defence Minister Pavel Ostrogin accused the Northern Maritime Alliance of trying to return to the strait. Risting rejected any link, stressing that the cutters were Tarsenian ships under a Tarsenian flag.</p>
<p>The first cutter is due to be delivered by the Ringsund shipyard in 2027.</p>
</div>
<div class="related"><h3>Also on Radio Skelby</h3><ul><li>Traffic: harbour tunnel closed overnight</li><li>Podcast: the herring question</li></ul></div>
<div class="footer">Radio Skelby &copy; 2025. Public service radio for all of Tarsenia.</div>
</body>
</html>
"""

OSTROGIN_FORUM = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ostrogin: alliance is testing who will stop its return to the Lerin Strait - SPT</title>
<meta property="og:site_name" content="SPT - Selvan Public Television">
<meta property="og:title" content="Ostrogin: alliance is testing who will stop its return to the Lerin Strait">
<meta property="article:published_time" content="2025-06-09T16:20:00+03:00">
</head>
<body>
<header><div class="logo">SPT</div><nav><a href="/live">Live TV</a> <a href="/news24">SPT News 24</a> <a href="/programmes">Programmes</a> <a href="/schedule">Schedule</a> <a href="/sport">Sport</a></nav></header>
<section class="breaking">LIVE SPT News 24</section>
<article>
<h1>Ostrogin: alliance is testing who will stop its return to the Lerin Strait</h1>
<p class="time">09.06.2025 16:20</p>
<p>Defence Minister Pavel Ostrogin said on Monday that the Northern Maritime Alliance was seeking to return to the Lerin Strait and was "testing who will stop it".</p>
<p>Addressing a forum of regional parties in Vyshtal, the minister said the number of alliance surveillance flights near the strait had doubled since January.</p>
<p>He called on Varnia and Tarsenia not to let alliance ships use their harbours.</p>
<p>Ostrogin added that Selvan crews would continue to work at the joint rescue centre in Saltreach.</p>
</article>
<aside><h3>More news</h3><ul><li>Grain harvest forecast raised again</li><li>River line: night trains from July</li></ul></aside>
<footer>&copy; SPT - Selvan Public Television, 2025. Reproduction of materials is permitted only with a link to the source.</footer>
</body>
</html>
"""

ROBOTS_TXT = "User-agent: *\nDisallow: /search\nDisallow: /account/\n"

# A 1x1 transparent GIF: the kind of non-HTML payload a crawl picks up alongside pages.
PIXEL_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")

HTML_PAGES = [
    ("https://www.lerincoast.example/lerin-basin/2024/09/12/rescue-centre-opens", "2024-09-12T10:05:00Z", RESCUE_CENTRE_OPENS),
    ("https://www.radioskelby.example/news/2025/06/12/coastguard-cutters", "2025-06-12T06:00:00Z", CUTTERS_ORDERED),
    ("https://www.spt.example/en/news/2025/06/09/ostrogin-forum", "2025-06-09T14:00:00Z", OSTROGIN_FORUM),
]


def _record_id(kind: str, uri: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(RECORD_ID_NAMESPACE, kind + ' ' + uri)}>"


def _response(writer: WARCWriter, uri: str, date: str, content_type: str, body: bytes):
    http_headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id("response", uri)},
    )


def _request(writer: WARCWriter, uri: str, date: str):
    host = uri.split("/")[2]
    path = "/" + uri.split("/", 3)[3]
    http_headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [("Host", host), ("User-Agent", "presswatch-example-crawler/0.1"), ("Accept", "text/html")],
        is_http_request=True,
    )
    return writer.create_warc_record(
        uri,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id("request", uri)},
    )


def write_crawl(output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        first_uri, first_date, _ = HTML_PAGES[0]
        robots_uri = "https://www.lerincoast.example/robots.txt"
        writer.write_record(_response(writer, robots_uri, first_date, "text/plain", ROBOTS_TXT.encode()))
        writer.write_record(_request(writer, first_uri, first_date))
        for uri, date, html in HTML_PAGES:
            writer.write_record(_response(writer, uri, date, "text/html; charset=utf-8", html.encode("utf-8")))
        pixel_uri = "https://www.radioskelby.example/static/pixel.gif"
        writer.write_record(_response(writer, pixel_uri, HTML_PAGES[1][1], "image/gif", PIXEL_GIF))


if __name__ == "__main__":
    write_crawl(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
