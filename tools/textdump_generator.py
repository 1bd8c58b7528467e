"""Synthetic news pages for training the text-dump extractor, labelled line by line.

A page is HTML built around one article from a TRAIN half (PolNeAR `attribution/train.jsonl` or ECB+
`stories/train.jsonl`), wrapped in generated chrome whose *structure* imitates what real sites put
around an article (menus, cookie notices, newsletter boxes, ads, related-headline lists, tags,
comments, footers, blog sidebars). Every chrome string is either written here from scratch or drawn
from OTHER train articles (their titles and sentences make realistic related-article teasers and
comments), so no text of a reported set is used. The page is rendered by a real `lynx -dump`, and
each output line is labelled by aligning it with the article paragraphs we put in: body, title, or
other.
"""

from __future__ import annotations

import html
import json
import random
import re
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

OTHER, BODY, TITLE = 0, 1, 2


# ---------------------------------------------------------------- article sources (train halves)


@dataclass
class Doc:
    title: str
    paragraphs: list[str]


_DETOK = [
    (re.compile(r" ([.,;:!?%)\]}])"), r"\1"),
    (re.compile(r"([(\[{$]) "), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r"`` ?"), "\u201c"),
    (re.compile(r" ?''"), "\u201d"),
    (re.compile(r" -- "), " \u2014 "),
    (re.compile(r"(\d)([.:,]) (\d)"), r"\1\2\3"),
    (re.compile(r"(\w) - (\w)"), r"\1-\2"),
]


def _detokenise(sentence: str) -> str:
    """ECB+ text is tokenised (`` quotes, spaces before punctuation); undo it so it reads like a page."""
    for pattern, repl in _DETOK:
        sentence = pattern.sub(repl, sentence)
    return sentence.strip()


def load_docs(eval_dir: Path, rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    with open(eval_dir / "attribution" / "train.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            parts = [p.strip() for p in re.split(r"\n\s*\n|\n", row["text"]) if p.strip()]
            title = (row.get("title") or parts[0]).strip()
            if parts and parts[0].strip() == title:
                parts = parts[1:]
            parts = [p for p in parts if len(p) > 1]
            if len(parts) >= 2 and 3 <= len(title.split()) <= 30:
                docs.append(Doc(title, parts))
    with open(eval_dir / "stories" / "train.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            sentences = [_detokenise(s) for s in row["text"].split("\n") if s.strip()]
            sentences = [s for s in sentences if "http" not in s and "www." not in s]
            # ECB+ keeps the source's headline and dateline as the first sentences
            while len(sentences) > 3 and len(sentences[1].split()) < 8 and re.search(r"\d", sentences[1]):
                del sentences[1]
            if len(sentences) < 3:
                continue
            first = sentences[0]
            words = first.split()
            if len(words) <= 14:
                title, sentences = first.rstrip("."), sentences[1:]
            else:
                title = " ".join(words[: rng.randint(6, 11)]).rstrip(",;:")
            paragraphs, current = [], []
            for sentence in sentences:
                current.append(sentence)
                if len(current) >= rng.choice([1, 1, 2, 2, 3, 4]):
                    paragraphs.append(" ".join(current))
                    current = []
            if current:
                paragraphs.append(" ".join(current))
            docs.append(Doc(title, paragraphs))
    return docs


# ---------------------------------------------------------------- vocabularies written for the generator

FIRST = "Anna Ben Carla David Elena Farid Greta Hugo Ines Jonas Kira Lars Maya Nils Olga Paul Rosa Sven Tara Umar Vera Wim Yuki Zoe Marco Lucia Pierre Sofia Jan Eva Tom Lea Omar Nina Raul Ida".split()
LAST = "Abbott Berger Castillo Dahl Eriksen Fontaine Garcia Holm Ivanova Jensen Keller Lindqvist Moreau Novak Olsen Petrov Quinn Rossi Schmidt Tanaka Urban Vogel Weber Young Zimmermann Brandt Costa Duval Fischer Greco Hansen Kowalski Lambert Meyer".split()
SITE_A = "Daily Morning Evening National Global City Metro Valley Coast Northern Southern Capital Harbor Central Lakeside Riverside Weekly Free Independent New".split()
SITE_B = "Herald Times Post Chronicle Gazette Observer Tribune Journal Courier Review Report Dispatch News Monitor Insider Wire Ledger Record Sentinel Bulletin Star Express Register".split()
SITE_FOREIGN = ["Allgemeine Zeitung", "Rundschau", "Tagblatt", "Anzeiger", "Nachrichten", "Kurier", "Le Quotidien",
                "La Voix", "El Diario", "La Gaceta", "Il Giornale", "Correio", "Dagblad", "Nyheter", "Noticias"]
SECTIONS = {
    "en": "Home News World Politics Business Economy Markets Tech Science Health Sports Culture Arts Opinion Video Photos Podcasts Travel Food Style Weather Local Entertainment Books Music Film Education Climate Lifestyle Life Autos Real Estate Jobs Obituaries Puzzles Games Crime Investigations Features Analysis Blogs".split(),
    "de": "Startseite Nachrichten Politik Wirtschaft Sport Kultur Wissen Panorama Meinung Reise Gesundheit Digital Regional Ausland Inland Finanzen Leben Auto Karriere Video Bilder Wetter Service Kontakt Impressum Archiv".split(),
    "fr": "Accueil Actualités Politique Économie Sport Culture International Société Sciences Santé Opinions Vidéos Météo Régions Planète Idées Médias".split(),
    "es": "Inicio Noticias Política Economía Deportes Cultura Internacional Sociedad Opinión Tecnología Salud Vídeos Tiempo Gente Viajes".split(),
    "it": "Home Cronaca Politica Economia Sport Cultura Esteri Spettacoli Tecnologia Salute Opinioni Video Motori".split(),
    "nl": "Nieuws Binnenland Buitenland Politiek Economie Sport Cultuur Media Opinie Wetenschap Regio".split(),
}
UI = {
    "en": ["Skip to content", "Skip to main content", "Log In", "Sign in", "Sign up", "Subscribe", "Search", "Menu",
           "Close", "Register", "My Account", "Today's Paper", "Newsletters", "Edition", "Sign out", "Go", "Donate",
           "Contact us", "About us", "Advertise", "Jobs", "Shop", "Events", "Podcasts", "Log out", "Back to top"],
    "de": ["Zum Inhalt springen", "Anmelden", "Abonnieren", "Suche", "Menü", "Schließen", "Registrieren", "Mein Konto",
           "E-Paper", "Newsletter", "Abmelden", "Kontakt", "Impressum", "Datenschutz", "Nach oben"],
    "fr": ["Aller au contenu", "Se connecter", "S'abonner", "Rechercher", "Menu", "Fermer", "Mon compte", "Newsletter"],
    "es": ["Ir al contenido", "Iniciar sesión", "Suscríbete", "Buscar", "Menú", "Cerrar", "Mi cuenta", "Boletines"],
}
SHARE = ["Facebook", "Twitter", "WhatsApp", "Email", "LinkedIn", "Pinterest", "Reddit", "Telegram", "Print",
         "Copy link", "Share", "Tweet", "Flipboard", "Xing", "Messenger", "E-Mail", "Drucken", "Teilen"]
MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
}
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Boilerplate prose written here: cookie notices, newsletter pitches, paywall and legal text. They
# are sentence-like on purpose, so the model must learn from context, not from punctuation alone.
PROSE = {
    "cookie": [
        "We use cookies to improve your experience on our website. By continuing to browse, you agree to our use of cookies.",
        "This site uses cookies and similar technologies to personalise content and ads, to provide social media features and to analyse our traffic.",
        "We and our partners store and access information on your device, such as cookies, for personalised ads and content, ad and content measurement, audience insights and product development.",
        "By clicking \u201cAccept all\u201d, you consent to the storing of cookies on your device to enhance site navigation, analyse site usage, and assist in our marketing efforts.",
        "Wir verwenden Cookies, um Ihnen ein optimales Webseiten-Erlebnis zu bieten. Wenn Sie weiter auf dieser Seite bleiben, stimmen Sie der Nutzung zu.",
        "Diese Website benutzt Cookies. Mit der Nutzung unserer Dienste erklären Sie sich damit einverstanden, dass wir Cookies verwenden.",
        "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site. Si vous continuez à utiliser ce dernier, nous considérerons que vous acceptez l'utilisation des cookies.",
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, consideramos que acepta su uso.",
    ],
    "cookie_buttons": ["Accept", "Accept all", "Reject all", "Manage settings", "OK", "I agree", "Got it", "More info",
                       "Cookie settings", "Akzeptieren", "Einstellungen", "Alle akzeptieren", "Accepter", "Aceptar"],
    "newsletter": [
        "Sign up for our daily newsletter and get the best stories delivered to your inbox every morning.",
        "Get the latest headlines sent straight to your inbox. You can unsubscribe at any time.",
        "Stay informed: subscribe to our free weekly briefing.",
        "Enter your email address to receive notifications of new posts by email.",
        "Melden Sie sich für unseren Newsletter an und erhalten Sie die wichtigsten Nachrichten des Tages.",
        "Inscrivez-vous à notre newsletter pour recevoir l'essentiel de l'actualité.",
        "By signing up, you agree to our Terms of Use and acknowledge our Privacy Policy.",
    ],
    "paywall": [
        "You have reached your limit of free articles this month. Subscribe now for unlimited access.",
        "Support independent journalism. Become a member today for just $1 a week.",
        "This article is available to subscribers only. Already a subscriber? Log in here.",
        "Our journalism depends on readers like you. Please consider making a contribution.",
        "Jetzt weiterlesen mit unserem Digital-Abo. Jederzeit kündbar.",
    ],
    "legal": [
        "All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "Copyright {year} {site}. All rights reserved.",
        "\u00a9 {year} {site} Media Group. All Rights Reserved.",
        "The views expressed in this article are the author's own and do not necessarily reflect the editorial policy of {site}.",
        "Use of this site constitutes acceptance of our User Agreement and Privacy Policy and Cookie Statement.",
        "Alle Rechte vorbehalten. Nachdruck nur mit Genehmigung der Redaktion.",
        "\u00a9 {site} {year}. Tous droits réservés.",
        "Registered in England and Wales. Registered office: 12 Example Street, London.",
    ],
    "comment_policy": [
        "Comments are moderated. Please keep the discussion civil and on topic.",
        "You must be logged in to post a comment.",
        "Your email address will not be published. Required fields are marked *",
        "Leave a Reply Cancel reply",
        "Be the first to comment",
        "Kommentare sind geschlossen.",
        "Schreibe einen Kommentar Antworten abbrechen",
    ],
    "app": [
        "Download our app for the latest news on the go.",
        "Get our app: available on iOS and Android.",
        "Follow us on Facebook, Twitter and Instagram.",
        "Folgen Sie uns auf Facebook und Twitter.",
    ],
    "ad": ["Advertisement", "ADVERTISEMENT", "Continue reading the main story", "Sponsored", "Anzeige", "Werbung",
           "Story continues below advertisement", "Publicité", "Publicidad", "Promoted content", "Paid Partner Content",
           "Article continues below", "AD", "Scroll to continue with content"],
    "more": ["Read more", "Read More", "Continue reading", "More", "Weiterlesen", "Lire la suite", "Leer más",
             "View all", "See all", "Load more", "Show more", "mehr", "Alle anzeigen", "Next page"],
    "related_head": ["Related", "Related Articles", "Related Stories", "More from {section}", "You may also like",
                     "Recommended", "Most Read", "Most Popular", "Trending Now", "Top Stories", "Latest News",
                     "Don't Miss", "Editor's Picks", "Das könnte Sie auch interessieren", "Meistgelesen",
                     "Mehr zum Thema", "À lire aussi", "Lo más leído", "Popular Posts", "Recent Posts",
                     "What to read next", "In Other News", "Around the Web", "See Also"],
    "inline_more": ["Read more:", "READ MORE:", "Related:", "Also read:", "SEE ALSO:", "Lesen Sie auch:",
                    "Mehr zum Thema:", "Lire aussi :", "Lee también:", "RELATED:", "Watch:", "MORE:"],
    "credit": ["Reuters", "AP", "AFP", "Getty Images", "dpa", "EPA", "Shutterstock", "File photo", "Handout",
               "Associated Press", "AFP via Getty Images", "Bloomberg"],
    "caption_lead": ["Photo:", "Image:", "Foto:", "Pictured:", "Photograph:", "", "", ""],
    "bio": [
        "{name} is a senior correspondent covering {section}. Follow {first} on Twitter.",
        "{name} has written about {section} for more than a decade. {first} lives in the city with two cats.",
        "About the author: {name} is a freelance writer and editor.",
        "{name} ist Redakteur im Ressort {section}.",
    ],
    "meta_widget": ["Log in", "Entries feed", "Comments feed", "Site admin", "Proudly powered by a blog engine",
                    "Anmelden", "Feed der Einträge", "Kommentare-Feed", "Theme by a designer"],
    "sidebar_heads": ["Categories", "Archives", "Tags", "Recent Comments", "Meta", "Blogroll", "Search", "Follow us",
                      "Kategorien", "Archiv", "Schlagwörter", "Neueste Beiträge", "Links", "Calendar"],
}


# ---------------------------------------------------------------- small generators


class Gen:
    def __init__(self, rng: random.Random, docs: list[Doc]):
        self.rng = rng
        self.docs = docs

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def name(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def site(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return f"The {self.pick(SITE_A)} {self.pick(SITE_B)}"
        if r < 0.65:
            return f"{self.pick(SITE_A)} {self.pick(SITE_B)}"
        if r < 0.8:
            return f"{self.pick(LAST)}er {self.pick(SITE_FOREIGN)}"
        return f"{self.pick(LAST).lower()}{self.pick(['news', 'post', 'online', 'times', 'blog', 'report'])}.{self.pick(['com', 'de', 'net', 'org', 'co.uk', 'fr', 'es'])}"

    def lang(self) -> str:
        return self.pick(["en"] * 5 + ["de"] * 3 + ["fr", "es", "it", "nl"])

    def section(self, lang: str) -> str:
        return self.pick(SECTIONS.get(lang, SECTIONS["en"]))

    def date(self, lang: str) -> str:
        y, m, d = self.rng.randint(2005, 2024), self.rng.randint(1, 12), self.rng.randint(1, 28)
        hh, mm = self.rng.randint(0, 23), self.rng.randint(0, 59)
        months = MONTHS.get(lang, MONTHS["en"])
        forms = [
            f"{MONTHS['en'][m - 1]} {d}, {y}",
            f"{d} {months[m - 1]} {y}",
            f"{d:02d}.{m:02d}.{y}",
            f"{y}-{m:02d}-{d:02d}",
            f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
            f"{d:02d}.{m:02d}.{y}, {hh:02d}:{mm:02d} Uhr",
            f"Updated {hh % 12 + 1}:{mm:02d} {self.pick(['AM', 'PM'])} ET, {WEEKDAYS[d % 7]} {MONTHS['en'][m - 1]} {d}, {y}",
            f"{WEEKDAYS[d % 7]}, {MONTHS['en'][m - 1][:3]} {d:02d}, {y}",
            f"{d}/{m}/{y}",
            f"{MONTHS['en'][m - 1][:3]} {d}, {y} {hh % 12 + 1}:{mm:02d} {self.pick(['am', 'pm'])}",
            f"Published {d} {months[m - 1]} {y}",
        ]
        return self.pick(forms)

    def headline(self, exclude: Doc | None = None) -> str:
        doc = self.pick(self.docs)
        while doc is exclude:
            doc = self.pick(self.docs)
        return doc.title

    def sentence(self, exclude: Doc | None = None) -> str:
        doc = self.pick(self.docs)
        while doc is exclude:
            doc = self.pick(self.docs)
        para = self.pick(doc.paragraphs)
        parts = re.split(r"(?<=[.!?])\s+", para)
        return self.pick(parts)

    def words(self, lo: int, hi: int) -> str:
        s = self.sentence().split()
        n = self.rng.randint(lo, hi)
        return " ".join(s[:n]).strip(" ,;:")


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def link(text: str) -> str:
    return f'<a href="/{zlib.crc32(text.encode())}">{esc(text)}</a>'


# ---------------------------------------------------------------- chrome blocks (HTML strings)


def nav_menu(g: Gen, lang: str) -> str:
    items = g.rng.sample(SECTIONS.get(lang, SECTIONS["en"]), k=min(len(SECTIONS.get(lang, SECTIONS["en"])), g.rng.randint(4, 14)))
    nested = g.chance(0.35)
    out = ["<ul>"]
    for item in items:
        out.append(f"<li>{link(item)}")
        if nested and g.chance(0.4):
            sub = g.rng.sample(SECTIONS["en"] + SECTIONS.get(lang, []), k=g.rng.randint(2, 6))
            out.append("<ul>" + "".join(f"<li>{link(s)}</li>" for s in sub) + "</ul>")
        out.append("</li>")
    out.append("</ul>")
    if g.chance(0.3):  # flattened menus: links on one line, as many dumps show
        sep = g.pick([" ", " | ", " \u00b7 ", " / ", "  "])
        return "<div>" + sep.join(link(i) for i in items) + "</div>"
    return "".join(out)


def ui_bar(g: Gen, lang: str) -> str:
    items = g.rng.sample(UI.get(lang, UI["en"]), k=g.rng.randint(2, 6))
    parts = []
    for item in items:
        r = g.rng.random()
        if r < 0.25:
            parts.append(f"<button>{esc(item)}</button>")
        elif r < 0.35:
            parts.append("<button></button>")
        elif r < 0.45:
            parts.append('<form><input type="text" name="q"><input type="submit" value="Go"></form>')
        else:
            parts.append(f"<div>{link(item)}</div>")
    return "<div>" + "".join(parts) + "</div>"


def site_header(g: Gen, site: str, lang: str) -> str:
    out = []
    if g.chance(0.25):
        out.append(f"<div>{link(g.pick(UI['en'][:2]))}</div>")
    if g.chance(0.5):
        out.append(ui_bar(g, lang))
    logo = g.rng.random()
    if logo < 0.4:
        out.append(f"<div>{link(site)}</div>")
    elif logo < 0.6:
        out.append(f'<div><img src="/logo.png" alt="{esc(site)}"></div>')
    elif logo < 0.75:
        out.append(f'<div><img src="/static/{g.pick(["logo", "header", "brand"])}_{g.rng.randint(1, 99)}.svg"></div>')
    else:
        out.append(f"<p>{esc(site)}</p>")
    if g.chance(0.3):
        out.append(f"<div>{esc(g.date(lang))}</div>")
    if g.chance(0.2):
        out.append(f"<p>{esc(g.words(3, 7))}</p>")  # tagline
    for _ in range(g.rng.randint(1, 3)):
        out.append(nav_menu(g, lang))
    if g.chance(0.3):
        out.append(ui_bar(g, lang))
    if g.chance(0.25):
        out.append("<div>" + esc(g.pick(["Trending:", "Breaking:", "Hot topics:", "Top-Themen:"])) + " "
                   + " ".join(link(g.words(1, 3)) for _ in range(g.rng.randint(2, 5))) + "</div>")
    return "\n".join(out)


def cookie_banner(g: Gen) -> str:
    text = " ".join(g.rng.sample(PROSE["cookie"], k=g.rng.randint(1, 2)))
    buttons = "".join(f"<button>{esc(b)}</button>" for b in g.rng.sample(PROSE["cookie_buttons"], k=g.rng.randint(1, 3)))
    head = f"<h3>{esc(g.pick(['Cookie Policy', 'Your privacy', 'Datenschutz', 'We value your privacy', 'Cookies']))}</h3>" if g.chance(0.4) else ""
    return f"<div>{head}<p>{esc(text)}</p>{buttons}</div>"


def newsletter_box(g: Gen) -> str:
    head = g.pick(["Newsletter", "Get our newsletter", "Sign up", "Stay in the loop", "Newsletter abonnieren", "The Morning Briefing"])
    text = g.pick(PROSE["newsletter"])
    form = '<form><input type="email" name="e"><input type="submit" value="%s"></form>' % g.pick(["Sign up", "Subscribe", "Anmelden", "OK"])
    extra = f"<p><small>{esc(g.pick(PROSE['newsletter']))}</small></p>" if g.chance(0.3) else ""
    return f"<div><h3>{esc(head)}</h3><p>{esc(text)}</p>{form}{extra}</div>"


def ad_block(g: Gen) -> str:
    r = g.rng.random()
    label = esc(g.pick(PROSE["ad"]))
    if r < 0.4:
        return f"<div>{label}</div>"
    if r < 0.6:
        return f'<div>{label}<iframe src="https://ads.example/{g.rng.randint(1, 999)}"></iframe></div>'
    if r < 0.75:
        return f'<div><img src="/ads/banner_{g.rng.randint(1, 999)}.gif"></div>'
    if r < 0.85:
        return "<ins></ins>"
    return f"<div>{label}</div><div>{esc(g.pick(PROSE['ad']))}</div>"


def teaser(g: Gen, doc: Doc | None) -> str:
    """A related article's lead, as listings print it: one or two sentences, often cut off with an ellipsis."""
    text = g.sentence(doc)
    if g.chance(0.4):
        text += " " + g.sentence(doc)
    if g.chance(0.6):
        cut = g.rng.randint(60, 260)
        if cut < len(text):
            text = text[:cut].rsplit(" ", 1)[0].rstrip(",;:") + g.pick(["...", "\u2026", " ...", "....", " [\u2026]"])
    return text


def headline_list(g: Gen, doc: Doc, lang: str) -> str:
    head = g.pick(PROSE["related_head"]).format(section=g.section(lang))
    n = g.rng.randint(3, 12)
    style = g.rng.random()
    teaser_share = g.pick([0.0, 0.3, 0.8, 1.0])
    inline = g.chance(0.3)  # headline and lead in one element
    items = []
    for i in range(n):
        title = g.headline(doc)
        extras = []
        if g.chance(teaser_share):
            extras.append(esc(teaser(g, doc)))
        if g.chance(0.3):
            extras.append(esc(g.date(lang)))
        if g.chance(0.2):
            extras.append(esc(g.section(lang)))
        if g.chance(0.15):
            extras.append(f'<img src="/img/{g.rng.randint(1, 9999)}.jpg" alt="{esc(g.words(3, 9))}">')
        if inline and extras:
            title_html = link(title) + g.pick([" ", " - ", ": ", " \u2014 "]) + extras.pop(0)
        else:
            title_html = link(title)
        if style < 0.35:
            items.append(f"<li>{title_html}" + "".join(f"<div>{e}</div>" for e in extras) + "</li>")
        elif style < 0.55:
            items.append(f"<h3>{title_html}</h3>" + "".join(f"<p>{e}</p>" for e in extras))
        elif style < 0.7:
            items.append(f"<div>{title_html}</div>" + "".join(f"<div>{e}</div>" for e in extras))
        elif style < 0.85:
            items.append(f"<li>{title_html}</li>")
        else:
            items.append(f"<p>{title_html}</p>" + "".join(f"<p>{e}</p>" for e in extras))
    body = "".join(items)
    if style < 0.35 or 0.7 <= style < 0.85:
        body = (f"<ol>{body}</ol>" if g.chance(0.25) else f"<ul>{body}</ul>")
    headtag = g.pick(["h2", "h3", "h4", "div", "p"])
    more = f"<div>{link(g.pick(PROSE['more']))}</div>" if g.chance(0.3) else ""
    return f"<div><{headtag}>{esc(head)}</{headtag}>{body}{more}</div>"


def share_bar(g: Gen) -> str:
    items = g.rng.sample(SHARE, k=g.rng.randint(2, 7))
    r = g.rng.random()
    if r < 0.4:
        return "<ul>" + "".join(f"<li>{link(i)}</li>" for i in items) + "</ul>"
    if r < 0.6:
        return "<ul>" + "".join("<li><a href='/s'></a></li>" for _ in items) + "</ul>"
    if r < 0.8:
        return "<div>" + " ".join(link(i) for i in items) + "</div>"
    return "<div>" + esc(g.pick(["Share this article", "Share", "Teilen", "Partager", "Share on"])) + "</div>"


def tags_block(g: Gen, lang: str) -> str:
    tags = [g.words(1, 3) for _ in range(g.rng.randint(2, 8))]
    head = g.pick(["Tags:", "Topics", "Themen:", "Schlagwörter:", "Filed under:", "Mots-clés :", "Etiquetas:", "Tagged", "Categories:"])
    if g.chance(0.5):
        return f"<div>{esc(head)} " + ", ".join(link(t) for t in tags) + "</div>"
    return f"<div><p>{esc(head)}</p><ul>" + "".join(f"<li>{link(t)}</li>" for t in tags) + "</ul></div>"


def comments_block(g: Gen, doc: Doc, lang: str) -> str:
    if g.chance(0.4):
        return numbered_comments(g, doc)
    n = g.rng.randint(1, 6)
    out = [f"<h3>{n} {esc(g.pick(['Comments', 'comments', 'Kommentare', 'Responses', 'Reactions', 'commentaires']))}</h3>"]
    if g.chance(0.5):
        out.append(f"<p>{esc(g.pick(PROSE['comment_policy']))}</p>")
    for _ in range(n):
        who = g.name() if g.chance(0.6) else g.pick(FIRST).lower() + str(g.rng.randint(1, 99))
        said = g.pick([f"{who} says:", who, f"{who} schreibt:", f"{who} on {g.date('en')}"])
        text = " ".join(g.sentence(doc) for _ in range(g.rng.randint(1, 3)))
        out.append(f"<div><div><b>{esc(said)}</b></div><div>{esc(g.date(lang))}</div><p>{esc(text)}</p><div>{link(g.pick(['Reply', 'Antworten', 'Like', 'Report']))}</div></div>")
    if g.chance(0.5):
        out.append('<form><textarea name="c"></textarea><input type="submit" value="Post Comment"></form>')
    return "<div>" + "".join(out) + "</div>"


def numbered_comments(g: Gen, doc: Doc) -> str:
    """A blog's comment list (WordPress's markup): "N responses to “Headline”", then an ordered list
    of "who says:", a dated line ("November 19, 2019 at 6:44 am") and the comment, which lynx
    numbers and indents like an article's own list."""
    n = g.rng.randint(2, 12)
    head = g.pick([f"{n} responses to \u201c{doc.title}\u201d", f"{n} thoughts on \u201c{doc.title}\u201d",
                   f"{n} Comments", f"{n} Replies to \u201c{doc.title}\u201d"])
    out = [f"<h3>{esc(head)}</h3><ol>"]
    for _ in range(n):
        who = g.name() if g.chance(0.4) else g.pick(FIRST).lower() + g.pick(LAST).lower()[:4] + str(g.rng.randint(1, 99))
        stamp = f"{g.pick(MONTHS['en'])} {g.rng.randint(1, 28)}, {g.rng.randint(2009, 2024)} at {g.rng.randint(1, 12)}:{g.rng.randint(0, 59):02d} {g.pick(['am', 'pm'])}"
        text = "".join(f"<p>{esc(g.sentence(doc if g.chance(0.5) else None))}</p>" for _ in range(g.rng.randint(1, 3)))
        out.append(f"<li><div><cite>{esc(who)}</cite> says:</div><div>{link(stamp)}</div>{text}"
                   + (f"<div>{link(g.pick(['Reply', 'Like', 'Report']))}</div>" if g.chance(0.5) else "") + "</li>")
    out.append("</ol>")
    return "<div>" + "".join(out) + "</div>"


def footer(g: Gen, site: str, lang: str) -> str:
    out = []
    for _ in range(g.rng.randint(1, 4)):
        if g.chance(0.5):
            out.append(f"<h4>{esc(g.pick(['About', 'Company', 'Services', 'Follow us', 'Sections', 'Unternehmen', 'Rubriken', 'Legal']))}</h4>")
        out.append(nav_menu(g, lang))
    if g.chance(0.5):
        out.append(f"<p>{esc(g.pick(PROSE['app']))}</p>")
    out.append(f"<p>{esc(g.pick(PROSE['legal']).format(year=g.rng.randint(2000, 2024), site=site))}</p>")
    if g.chance(0.4):
        out.append(f"<p>{esc(g.pick(PROSE['legal']).format(year=g.rng.randint(2000, 2024), site=site))}</p>")
    if g.chance(0.3):
        out.append(f"<div>{g.rng.randint(1, 99)} {esc(g.pick(LAST))} Street<br>{g.rng.randint(10000, 99999)} {esc(g.pick(LAST))}ville<br>Tel. +{g.rng.randint(10, 99)} {g.rng.randint(100, 999)} {g.rng.randint(10000, 99999)}</div>")
    if g.chance(0.3):
        out.append(f'<iframe src="https://www.tagmanager.example/ns.html?id=GTM-{g.rng.randint(1000, 9999)}"></iframe>')
    return "<footer>" + "\n".join(out) + "</footer>"


def sidebar(g: Gen, doc: Doc, lang: str) -> str:
    out = []
    for _ in range(g.rng.randint(1, 4)):
        r = g.rng.random()
        if r < 0.35:
            out.append(headline_list(g, doc, lang))
        elif r < 0.5:
            head = g.pick(PROSE["sidebar_heads"])
            months = MONTHS.get(lang, MONTHS["en"])
            items = [f"{g.pick(months)} {g.rng.randint(2008, 2023)}" for _ in range(g.rng.randint(3, 10))]
            out.append(f"<h3>{esc(head)}</h3><ul>" + "".join(f"<li>{link(i)}</li>" for i in items) + "</ul>")
        elif r < 0.65:
            out.append(newsletter_box(g))
        elif r < 0.75:
            out.append(ad_block(g))
        elif r < 0.85:
            head = g.pick(PROSE["sidebar_heads"])
            items = [f"{g.words(1, 3)} ({g.rng.randint(1, 300)})" for _ in range(g.rng.randint(3, 9))]
            out.append(f"<h3>{esc(head)}</h3><ul>" + "".join(f"<li>{link(i)}</li>" for i in items) + "</ul>")
        elif r < 0.93:
            out.append(f"<h3>{esc(g.pick(['About', 'Über mich', 'About me', 'Who we are']))}</h3><p>{esc(g.sentence(doc))} {esc(g.sentence(doc))}</p>")
        else:
            items = g.rng.sample(PROSE["meta_widget"], k=g.rng.randint(2, 5))
            out.append(f"<h3>{esc(g.pick(['Meta', 'Admin', 'Links']))}</h3><ul>" + "".join(f"<li>{link(i)}</li>" for i in items) + "</ul>")
    return "<aside>" + "\n".join(out) + "</aside>"


# ---------------------------------------------------------------- the article itself


@dataclass
class Article:
    html: str
    title: str
    body: list[str]  # in page order: the texts that are labelled BODY


def article_block(g: Gen, doc: Doc, site: str, lang: str) -> Article:
    body: list[str] = []
    out: list[str] = []
    title = doc.title
    if g.chance(0.35):
        out.append(f'<div>{link(g.pick(["Home", "Startseite", "Accueil"]))} {g.pick([">", "/", "»", "›", "|"])} {link(g.section(lang))}'
                   + (f' {g.pick([">", "/", "»"])} {esc(title)}' if g.chance(0.4) else "") + "</div>")
    if g.chance(0.4):
        out.append(f"<div>{link(g.section(lang))}</div>")
    if g.chance(0.12):  # headline repeated above the real h1 (og-title blocks, print headers)
        out.append(f"<div>{esc(title)}</div>")
    title_tag = g.pick(["h1"] * 8 + ["h2", "div", "p"])
    out.append(f"<{title_tag}>{esc(title)}</{title_tag}>")
    if g.chance(0.1):
        out.append(f"<h1>{esc(title)}</h1>")
    standfirst = g.chance(0.35)
    if standfirst:
        text = g.sentence(None) if g.chance(0.3) else doc.paragraphs[0].split(". ")[0].rstrip(".") + "."
        if text not in doc.paragraphs:
            tag = g.pick(["p", "h2", "div", "p"])
            out.append(f"<{tag}>{esc(text)}</{tag}>")
            body.append(text)
    meta = []
    if g.chance(0.7):
        author = g.name()
        meta.append(g.pick([f"By {author}", f"By {author.upper()}", author, f"Von {author}", f"Par {author}", f"Por {author}",
                            f"{author}, {g.pick(['Staff Writer', 'Reporter', 'Correspondent', 'Redakteur'])}", f"Posted by {author}"]))
    if g.chance(0.75):
        meta.append(g.date(lang))
    if g.chance(0.2):
        meta.append(g.pick([f"{g.rng.randint(2, 15)} min read", f"Lesezeit: {g.rng.randint(2, 15)} Min.", f"{g.rng.randint(0, 300)} comments"]))
    if g.chance(0.15):
        meta.append(g.pick(PROSE["credit"]))
    if meta:
        mstyle = g.rng.random()
        if mstyle < 0.4:
            out.append("".join(f"<div>{esc(m)}</div>" for m in meta))
        elif mstyle < 0.7:
            out.append("<p>" + esc(g.pick([" | ", " - ", ", ", " \u00b7 ", " "]).join(meta)) + "</p>")
        else:
            out.append("<ul>" + "".join(f"<li>{esc(m)}</li>" for m in meta) + "</ul>")
    if g.chance(0.35):
        out.append(share_bar(g))
    if g.chance(0.45):
        out.append(figure(g))

    # Each piece is (html, the body texts it contributes), in page order.
    pieces: list[tuple[str, list[str]]] = []
    pstyle = g.rng.random()  # how paragraphs are marked up: <p>, <div>, or text separated by <br>
    paragraphs = list(doc.paragraphs)
    if g.chance(0.25):  # short items: a few paragraphs only
        paragraphs = paragraphs[: g.rng.randint(1, 4)]
    elif g.chance(0.3) and len(paragraphs) > 12:
        paragraphs = paragraphs[: g.rng.randint(6, 12)]
    n = len(paragraphs)
    sub_every = g.rng.randint(2, 6) if g.chance(0.3) else 0
    list_at = g.rng.randint(0, n) if g.chance(0.3) else -1
    noise = g.pick([0.08, 0.15, 0.25, 0.4])
    for i, para in enumerate(paragraphs):
        if sub_every and i and i % sub_every == 0:
            sub = g.words(2, 7)
            tag = g.pick(["h2", "h3", "h4", "strong", "b"])
            pieces.append((f"<p><{tag}>{esc(sub)}</{tag}></p>" if tag in ("strong", "b") else f"<{tag}>{esc(sub)}</{tag}>", [sub]))
        if i == list_at:
            pieces.append(article_list(g) if g.chance(0.75) else schedule_lines(g))
        if pstyle < 0.55:
            pieces.append((f"<p>{esc(para)}</p>", [para]))
        elif pstyle < 0.75:
            pieces.append((f"<div>{esc(para)}</div>", [para]))
        else:
            pieces.append((esc(para) + "<br>" + ("<br>" if g.chance(0.5) else ""), [para]))
        if i < n - 1 and g.chance(noise):
            r = g.rng.random()
            if r < 0.25:
                pieces.append((ad_block(g), []))
            elif r < 0.45:
                pieces.append((f"<p>{esc(g.pick(PROSE['inline_more']))} {link(g.headline(doc))}</p>", []))
            elif r < 0.7:
                pieces.append((figure(g), []))
            elif r < 0.78:
                pieces.append(embedded_post(g, doc))
            elif r < 0.86:
                pieces.append((f"<aside><p>{esc(g.pick(PROSE['newsletter']))}</p></aside>", []))
            elif r < 0.93 and i > 1:
                pieces.append((headline_list(g, doc, lang), []))
            else:
                pieces.append((f"<div>{esc(g.pick(PROSE['more']))}</div>", []))
    if list_at == n:
        pieces.append(article_list(g))
    html_pieces = [h for h, _ in pieces]
    if pstyle >= 0.75:
        html_pieces = ["<div>"] + html_pieces + ["</div>"]
    out.append("\n".join(html_pieces))
    for _, texts in pieces:
        body.extend(texts)
    if g.chance(0.3):
        sign = g.pick([g.name(), f"({g.pick(['dpa', 'AFP', 'Reuters', 'AP'])})", f"— {g.name()}", f"Reporting by {g.name()}; Editing by {g.name()}"])
        out.append(f"<p>{esc(sign)}</p>")
    if g.chance(0.2):
        out.append(f"<p><em>{esc(g.pick(PROSE['legal']).format(year=2020, site=site))}</em></p>")
    return Article("\n".join(out), title, body)


def embedded_post(g: Gen, doc: Doc) -> tuple[str, list[str]]:
    """A social-media post embedded in the article, as the platforms' embed code marks it up: the
    post's text (often ending in a short link), then "— Name (@handle) Month D, YYYY".

    It is body: people marking an article's body keep the posts it quotes (the extraction
    benchmark's annotation convention), though the signature line looks like a caption or a date line.
    """
    name = g.name()
    text = g.sentence(doc)
    if g.chance(0.5):
        text += " " + g.pick(["https://t.co/", "pic.twitter.com/"]) + "".join(g.pick("abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                                                           for _ in range(10))
    handle = "@" + g.pick([name.split()[-1], name.replace(" ", ""), name.split()[0] + str(g.rng.randint(1, 99))]).lower()
    signature = f"\u2014 {name} ({handle}) {MONTHS['en'][g.rng.randint(0, 11)]} {g.rng.randint(1, 28)}, {g.rng.randint(2009, 2024)}"
    return (f'<blockquote class="twitter-tweet"><p>{esc(text)}</p>{esc(signature.rsplit(")", 1)[0])}) '
            f'{link(signature.rsplit(") ", 1)[1])}</blockquote>', [text, signature])


def schedule_lines(g: Gen) -> tuple[str, list[str]]:
    """Short data lines in the article, one per <br> or paragraph: tour dates, fixtures and results,
    timetables. Body, though each line is short and looks like a teaser or a menu entry."""
    month = g.pick(MONTHS["en"])
    dash = g.pick(["--", "-", "\u2013", ":"])
    kind = g.rng.random()
    lines = []
    for _ in range(g.rng.randint(3, 12)):
        if kind < 0.4:
            lines.append(f"{month} {g.rng.randint(1, 28)} {dash} {g.words(1, 4)}, {g.pick(LAST)}")
        elif kind < 0.7:
            a, b = g.pick(LAST), g.pick(LAST)
            lines.append(g.pick([f"{a} d. {b} {g.rng.randint(40, 99)}-{g.rng.randint(20, 80)}",
                                 f"{a} {g.rng.randint(0, 5)}, {b} {g.rng.randint(0, 5)}",
                                 f"{a} ({g.rng.randint(0, 9)}-{g.rng.randint(0, 9)}): {g.name()} {g.rng.randint(1, 30)} {g.pick(['points', 'saves', 'goals', 'assists'])}."]))
        else:
            lines.append(f"{g.rng.randint(6, 22):02d}:{g.pick(['00', '15', '30', '45'])} {g.words(1, 5)}")
    if g.chance(0.5):
        return "<p>" + "<br>".join(esc(line) for line in lines) + "</p>", lines
    return "".join(f"<p>{esc(line)}</p>" for line in lines), lines


def article_list(g: Gen) -> tuple[str, list[str]]:
    """Structured content inside the article (key points, steps, ingredients, spec tables, code).

    It is body, though it looks like a menu or a form: the model has to judge it by where it stands.
    """
    kind = g.rng.random()
    head: list[str] = []
    html_head = ""
    if g.chance(0.4):
        head = [g.pick(["Key points:", "Zutaten", "Ingredients", "Steps:", "What we know:", "Zubereitung",
                        "The details:", "Technische Daten", "Specifications", "Example:", "Fazit:"])]
        html_head = f"<p><strong>{esc(head[0])}</strong></p>"
    if kind < 0.6:
        if kind < 0.25:
            items = [g.sentence(None) for _ in range(g.rng.randint(2, 6))]
        elif kind < 0.45:
            units = ["g", "kg", "ml", "l", "EL", "TL", "cups", "tbsp", "tsp", "Stück", "Prise", "oz"]
            items = [f"{g.pick(['1', '2', '3', '100', '200', '250', '500', '1/2', '1 1/2'])} {g.pick(units)} {g.words(1, 3)}"
                     for _ in range(g.rng.randint(3, 10))]
        else:
            items = [g.words(3, 10) for _ in range(g.rng.randint(3, 7))]
        tag = g.pick(["ul", "ol"])
        return html_head + f"<{tag}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + f"</{tag}>", head + items
    if kind < 0.8:  # label / value rows
        rows = [(g.words(1, 3).rstrip(".") + g.pick([":", ""]), g.pick([f"{g.rng.randint(1, 999)} {g.pick(['mm', 'kg', 'V', 'W', 'EUR', '%', 'km/h'])}", g.words(1, 5)]))
                for _ in range(g.rng.randint(3, 8))]
        if g.chance(0.5):
            html = "<table>" + "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for a, b in rows) + "</table>"
        else:
            html = "<dl>" + "".join(f"<dt>{esc(a)}</dt><dd>{esc(b)}</dd>" for a, b in rows) + "</dl>"
        return html_head + html, head + [f"{a} {b}" for a, b in rows]
    words = [w.strip(".,;:\"'()").lower() or "x" for w in g.sentence(None).split()][:8] or ["x"]
    code = []
    for _ in range(g.rng.randint(2, 8)):
        a, b = g.pick(words), g.pick(words)
        code.append(g.pick([f"{a} = {b}({g.rng.randint(0, 99)})", f"if {a} > {b}:", f"    return {a}_{b}",
                            f"$ {a} --{b}", f"print({a}, {b})", f"{a}.{b}()"]))
    return html_head + "<pre>" + esc("\n".join(code)) + "</pre>", head + code


def figure(g: Gen) -> str:
    img = g.pick([f'<img src="/img/{g.rng.randint(1, 99999)}_{g.pick(["large", "hero", "1", "img"])}.jpg">',
                  f'<img src="/i.jpg" alt="{esc(g.words(3, 12))}">', ""])
    cap = ""
    if g.chance(0.6):
        cap = f"<figcaption>{esc(g.pick(PROSE['caption_lead']))} {esc(g.sentence())} {esc(g.pick(['', '(', 'Credit: ', 'Photo: ']))}{esc(g.pick(PROSE['credit']))}</figcaption>"
    return f"<figure>{img}{cap}</figure>"


# ---------------------------------------------------------------- live blogs and press releases
#
# Two kinds of page whose shape an ordinary article lacks. A live blog is a run of short timestamped
# entries, newest first, each closed by its own share links, with advertisements and "Updated" lines
# between them: without such pages the model read an entry's text after a time line and a share bar
# as chrome (tests/data/analyst/fenwick_herald_storm_live.txt kept 3 of its 6 entries). A press
# release opens with labelled metadata ("From:", "Published") and closes with notes to editors, a
# media contact and "ENDS", none of them its text.

LIVE_BADGES = ["LIVE", "Live", "Live updates", "LIVE UPDATES", "Live coverage", "Breaking", "Liveblog", "Live-Ticker",
               "En direct", "En vivo"]
LIVE_UPDATED = ["Updated {t}", "Last updated {t}", "Updated: {t}", "Latest update {t}", "Aktualisiert {t} Uhr",
                "Mis à jour à {t}", "Updated {d}, {t}", "{n} new updates", "Updated {n} minutes ago"]
LIVE_SUMMARY_HEADS = ["Key points", "Key events", "What we know so far", "Summary", "The latest", "At a glance",
                      "Das Wichtigste in Kürze", "L'essentiel"]
LIVE_ENTRY_SHARE = ["Share", "Post", "Copy link", "Link to this post", "Facebook", "Twitter", "Email", "Teilen",
                    "Link copied", "Share this update"]
LIVE_MORE = ["Load more updates", "Show more", "Older posts", "Show earlier posts", "Ältere Beiträge laden",
             "See all updates", "Newest", "Oldest", "Refresh", "Auto-update on"]
RELEASE_KINDS = ["Press release", "News story", "Media release", "Press Release", "PRESS RELEASE", "FOR IMMEDIATE RELEASE",
                 "For immediate release", "Pressemitteilung", "Communiqué de presse", "Statement", "News release"]
RELEASE_BODIES = ["Ministry of {x}", "Department for {x}", "{x} Agency", "Office of the {x} Commissioner",
                  "{l} Group", "{l} Holdings", "{l} Foundation", "City of {l}ville", "{l} University"]
RELEASE_TOPICS = ["Transport", "Health", "Education", "Energy", "Housing", "Environment", "Justice", "Culture",
                  "Finance", "Agriculture", "Digital Affairs", "Waterways", "Trade"]
RELEASE_META = ["From:", "Published", "Published:", "Last updated", "Part of:", "Location:", "Applies to:", "Date:",
                "Veröffentlicht:", "Herausgeber:"]
RELEASE_NOTES = ["Notes to editors", "Notes to Editors", "Editor's notes", "About {body}", "Background",
                 "Hinweise für Redaktionen", "Note aux rédactions"]
RELEASE_CONTACTS = ["Media contact", "Media enquiries", "Press office", "For more information, contact:",
                    "Press contact", "Pressekontakt", "Contact presse"]
RELEASE_ENDS = ["ENDS", "-ENDS-", "- Ends -", "###", "-30-", "End", "Ends"]
RELEASE_FEEDBACK = ["Is this page useful?", "Was this page helpful?", "Did you find what you were looking for?",
                    "War diese Seite hilfreich?"]


def _element(tag: str, inner_html: str) -> str:
    return f"<{tag}>{inner_html}</{tag}>"


def _clock(g: Gen, minutes: int) -> str:
    hh, mm = divmod(minutes % (24 * 60), 60)
    return g.pick([f"{hh:02d}:{mm:02d}", f"{hh:02d}:{mm:02d}", f"{hh}.{mm:02d}", f"{(hh - 1) % 12 + 1}.{mm:02d}{'am' if hh < 12 else 'pm'}",
                   f"{hh:02d}:{mm:02d} {g.pick(['GMT', 'CET', 'ET', 'BST', 'Uhr'])}", f"{(hh - 1) % 12 + 1}:{mm:02d} {'AM' if hh < 12 else 'PM'}"])


def _entry_paragraphs(g: Gen, paragraphs: list[str]) -> list[list[str]]:
    """The article's paragraphs cut into entries of one to three, some entries one sentence long."""
    entries, k = [], 0
    while k < len(paragraphs):
        size = g.pick([1, 1, 1, 2, 2, 3])
        chunk = paragraphs[k:k + size]
        k += size
        if g.chance(0.25):  # a short entry: the paragraph's first sentence alone
            chunk = [re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])", chunk[0])[0]]
        entries.append(chunk)
    return entries


def _entry_heading(g: Gen, chunk: list[str]) -> str:
    """An entry's heading, in its own words: the opening words of one of its sentences.

    Not another article's headline: the related-article lists are made of those, labelled chrome
    there, and the same strings labelled text here are a conflict the model can only average over."""
    sentence = g.pick(re.split(r"(?<=[.!?])\s+", g.pick(chunk)))
    return " ".join(sentence.split()[:g.rng.randint(3, 9)]).strip(" ,;:\u201c\u201d\"")


def live_blog_block(g: Gen, doc: Doc, lang: str) -> Article:
    body: list[str] = []
    out: list[str] = []
    title = doc.title if g.chance(0.5) else g.pick([f"{doc.title} \u2013 live", f"Live: {doc.title}", f"{doc.title}: live updates",
                                                    f"{doc.title} \u2013 as it happened"])
    if g.chance(0.6):
        out.append(_element(g.pick(["span", "div", "p"]), esc(g.pick(LIVE_BADGES))))
    out.append(_element(g.pick(["h1"] * 5 + ["h2", "div"]), esc(title)))
    if g.chance(0.6):
        deck = g.sentence(doc)
        out.append(f"<p>{esc(deck)}</p>")
        body.append(deck)
    now = g.rng.randint(9 * 60, 23 * 60)
    if g.chance(0.7):
        out.append(f"<p>{esc(g.pick(['By ', 'By ', '', 'Von ']) + g.name() + (' and ' + g.name() if g.chance(0.3) else ''))}</p>")
    if g.chance(0.7):
        out.append(f"<p>{esc(g.pick(LIVE_UPDATED).format(t=_clock(g, now), d=g.date(lang), n=g.rng.randint(2, 40)))}</p>")
    if g.chance(0.3):
        out.append(share_bar(g))
    entries = _entry_paragraphs(g, list(doc.paragraphs[:g.rng.randint(4, 24)]))
    times = sorted((now - g.rng.randint(0, 600) for _ in entries), reverse=True)
    if g.chance(0.45):
        head = g.pick(LIVE_SUMMARY_HEADS)
        out.append(_element(g.pick(["h2", "h3", "div"]), esc(head)))
        if g.chance(0.5):  # points written out: the blog's text, in short
            points = [g.sentence(doc).rstrip(".") for _ in range(g.rng.randint(2, 5))]
            out.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in points) + "</ul>")
            body.extend([head] + points)
        else:  # links to entries below: a menu of the page
            out.append("<ul>" + "".join(f"<li>{link(_clock(g, t) + ' ' + g.words(3, 8))}</li>"
                                        for t in times[:g.rng.randint(2, 6)]) + "</ul>")
    style = g.rng.random()
    for k, (chunk, at) in enumerate(zip(entries, times)):
        entry: list[str] = []
        stamp = _clock(g, at) if g.chance(0.8) else g.pick([f"{g.rng.randint(1, 59)} min ago", f"{g.rng.randint(1, 9)}h ago",
                                                             f"{g.date(lang)}, {_clock(g, at)}", f"Updated {_clock(g, at)}"])
        tag = g.pick(["time", "div", "p", "span", "strong"]) if style < 0.8 else "div"
        entry.append(_element(tag, esc(stamp)))
        if g.chance(0.1):
            entry.append(f"<div>{esc(g.pick(['Pinned', 'Breaking', 'Key event', 'Important']))}</div>")
        if g.chance(0.55):
            heading = _entry_heading(g, chunk)
            htag = g.pick(["h2", "h3", "h3", "h4", "strong"])
            entry.append(_element("p", _element("strong", esc(heading))) if htag == "strong" else _element(htag, esc(heading)))
            body.append(heading)
        if g.chance(0.15):
            entry.append(f"<div>{esc(g.name())}</div>")
        for para in chunk:
            if g.chance(0.1):
                entry.append(f"<blockquote><p>{esc(para)}</p></blockquote>")
            else:
                entry.append(_element(g.pick(["p", "p", "p", "div"]), esc(para)))
            body.append(para)
        if g.chance(0.1):
            html_post, texts = embedded_post(g, doc)
            entry.append(html_post)
            body.extend(texts)
        if g.chance(0.12):
            entry.append(figure(g))
        if g.chance(0.65):
            items = g.rng.sample(LIVE_ENTRY_SHARE, k=g.rng.randint(1, 3))
            entry.append("<div>" + " ".join(link(i) for i in items) + "</div>")
        out.append("<div>" + "".join(entry) + "</div>")
        if k < len(entries) - 1 and g.chance(0.15):
            out.append(g.pick([ad_block(g), f"<div>{esc(g.pick(PROSE['ad']))}<br>{esc(g.words(4, 9))}</div>",
                               f"<div>{esc(g.pick(PROSE['ad']))}</div><div>{link(g.words(3, 8))}</div>"]))
        if k < len(entries) - 1 and g.chance(0.05):
            out.append(f"<aside><p>{esc(g.pick(PROSE['newsletter']))}</p></aside>")
    if g.chance(0.5):
        out.append(f"<div>{link(g.pick(LIVE_MORE))}</div>")
    return Article("\n".join(out), title, body)


def press_release_block(g: Gen, doc: Doc) -> Article:
    body: list[str] = []
    out: list[str] = []
    issuer = g.pick(RELEASE_BODIES).format(x=g.pick(RELEASE_TOPICS), l=g.pick(LAST))
    if g.chance(0.4):
        out.append(f"<div>{link('Home')} &gt; {link(g.pick(RELEASE_TOPICS))}" + (f" &gt; {link(g.words(2, 4))}" if g.chance(0.5) else "") + "</div>")
    if g.chance(0.8):
        out.append(_element(g.pick(["p", "div", "span"]), esc(g.pick(RELEASE_KINDS))))
    out.append(f"<h1>{esc(doc.title)}</h1>")
    if g.chance(0.6):
        summary = g.sentence(doc)
        out.append(f"<p>{esc(summary)}</p>")
        body.append(summary)
    meta = []
    for label in g.rng.sample(RELEASE_META, k=g.rng.randint(1, 3)):
        value = {"From:": link(issuer) + (f" and {link(g.name())}" if g.chance(0.5) else ""), "Part of:": link(g.words(2, 5)),
                 "Location:": esc(g.pick(LAST) + "ville"), "Applies to:": esc(g.pick(["England", "Scotland", "Bavaria", "All regions"])),
                 "Herausgeber:": link(issuer)}.get(label, esc(g.date(lang="en")))
        meta.append((label, value))
    mstyle = g.rng.random()
    if mstyle < 0.5:
        out.append("<dl>" + "".join(f"<dt>{esc(a)}</dt><dd>{b}</dd>" for a, b in meta) + "</dl>")
    elif mstyle < 0.8:
        out.append("".join(f"<div>{esc(a)} {b}</div>" for a, b in meta))
    else:
        out.append("<p>" + "<br>".join(f"{esc(a)} {b}" for a, b in meta) + "</p>")
    paragraphs = list(doc.paragraphs[:g.rng.randint(3, 14)])
    quote_at = {k for k in range(1, len(paragraphs)) if g.chance(0.3)}
    for k, para in enumerate(paragraphs):
        if k == 0 and g.chance(0.3):  # a dateline opens the first paragraph
            para = f"{g.pick(LAST).upper()}, {g.date('en')} \u2013 {para}"
        if k in quote_at:
            intro = f"{g.pick(['', 'Minister for ' + g.pick(RELEASE_TOPICS) + ' ', 'Chief Executive '])}{g.name()} said:"
            quote = f"\u201c{g.sentence(doc)} {g.sentence(doc)}\u201d" if g.chance(0.7) else f'"{g.sentence(doc)}"'
            out.append(f"<p>{esc(intro)}</p><blockquote><p>{esc(quote)}</p></blockquote>")
            body.extend([intro, quote])
        out.append(f"<p>{esc(para)}</p>")
        body.append(para)
    trailer = []
    if g.chance(0.4):
        trailer.append(f"<p>{esc(g.pick(RELEASE_ENDS))}</p>")
    if g.chance(0.6):
        notes = [g.sentence(None) for _ in range(g.rng.randint(1, 5))]
        tag = g.pick(["ol", "ul", "div"])
        items = "".join(f"<li>{esc(n)}</li>" if tag != "div" else f"<p>{esc(n)}</p>" for n in notes)
        trailer.append(f"<h2>{esc(g.pick(RELEASE_NOTES).format(body=issuer))}</h2><{tag}>{items}</{tag}>")
    if g.chance(0.6):
        who = g.pick([f"{issuer} press office", g.name(), f"{g.name()}, Head of Communications"])
        lines = [who, f"Email: press@{g.pick(LAST).lower()}.example", f"Telephone: +{g.rng.randint(10, 99)} {g.rng.randint(100, 999)} {g.rng.randint(1000, 9999)}"]
        if g.chance(0.4):
            lines.append(f"Out of hours: {g.rng.randint(100, 999)} {g.rng.randint(1000, 9999)}")
        trailer.append(f"<h2>{esc(g.pick(RELEASE_CONTACTS))}</h2><p>" + "<br>".join(map(esc, lines)) + "</p>")
    g.rng.shuffle(trailer)
    if g.chance(0.4):
        trailer.append(f"<p>{esc(g.pick(RELEASE_ENDS))}</p>")
    out.extend(trailer)
    if g.chance(0.5):
        out.append(f"<div>{esc(g.pick(RELEASE_FEEDBACK))} {link('Yes')} {link('No')}"
                   + (f" {link('Report a problem with this page')}" if g.chance(0.5) else "") + "</div>")
    return Article("\n".join(out), doc.title, body)


# Shares of the generated pages that are live blogs and press releases (the rest are articles):
# enough for the model to learn their shapes, few enough that ordinary articles stay most of it.
LIVE_BLOG_SHARE = 0.08
PRESS_RELEASE_SHARE = 0.05


# ---------------------------------------------------------------- whole page


def build_page(g: Gen, doc: Doc) -> tuple[str, Article]:
    """The page's kind ("article", "live blog", "press release") and the page."""
    lang = g.lang()
    site = g.site()
    roll = g.rng.random()
    kind = ("live blog" if roll < LIVE_BLOG_SHARE and len(doc.paragraphs) >= 3 else
            "press release" if LIVE_BLOG_SHARE <= roll < LIVE_BLOG_SHARE + PRESS_RELEASE_SHARE else "article")
    parts: list[str] = []
    if g.chance(0.25):
        parts.append(f'<link rel="alternate" type="application/rss+xml" title="{esc(site)} RSS">')
    if g.chance(0.3):
        parts.append(cookie_banner(g))
    parts.append(site_header(g, site, lang))
    if g.chance(0.25):
        parts.append(ad_block(g))
    if g.chance(0.15):
        parts.append(headline_list(g, doc, lang))
    art = (live_blog_block(g, doc, lang) if kind == "live blog" else press_release_block(g, doc) if kind == "press release"
           else article_block(g, doc, site, lang))
    main = [art.html]
    for block in g.rng.sample(["tags", "share", "bio", "newsletter", "related", "comments", "ad", "paywall", "related2"], k=g.rng.randint(1, 6)):
        if block == "tags":
            main.append(tags_block(g, lang))
        elif block == "share":
            main.append(share_bar(g))
        elif block == "bio":
            name = g.name()
            main.append(f"<div><p>{esc(g.pick(PROSE['bio']).format(name=name, first=name.split()[0], section=g.section(lang)))}</p></div>")
        elif block == "newsletter":
            main.append(newsletter_box(g))
        elif block in ("related", "related2"):
            main.append(headline_list(g, doc, lang))
        elif block == "comments":
            main.append(comments_block(g, doc, lang))
        elif block == "ad":
            main.append(ad_block(g))
        elif block == "paywall":
            main.append(f"<div><p>{esc(g.pick(PROSE['paywall']))}</p>{link(g.pick(['Subscribe', 'Jetzt abonnieren', 'Log in']))}</div>")
    side = sidebar(g, doc, lang) if g.chance(0.55) else ""
    layout = g.rng.random()
    if layout < 0.1 and side:
        parts.append(f"<table><tr><td>{''.join(main)}</td><td>{side}</td></tr></table>")
    elif layout < 0.3 and side:
        parts.append(side)
        parts.extend(main)
    else:
        parts.extend(main)
        if side:
            parts.append(side)
    if g.chance(0.3):
        parts.append(headline_list(g, doc, lang))
    parts.append(footer(g, site, lang))
    if g.chance(0.15):
        parts.append(cookie_banner(g))
    head = f"<head><meta charset='utf-8'><title>{esc(art.title)} | {esc(site)}</title></head>"
    page = f"<!DOCTYPE html><html>{head}<body>" + "\n".join(parts) + "</body></html>"
    if g.chance(0.2):  # "div soup": sites that mark nothing up as paragraphs or headings
        tags = "p|h2|h3|h4|h5|figcaption|blockquote" if g.chance(0.7) else "p|h1|h2|h3|h4|h5|figcaption|blockquote"
        page = re.sub(rf"<(/?)(?:{tags})>", r"<\1div>", page)
    return kind, Article(page, art.title, art.body)


# ---------------------------------------------------------------- rendering and labelling


def render(page_html: str, width: int, workdir: Path) -> str:
    path = workdir / "page.html"
    path.write_text(page_html, encoding="utf-8")
    result = subprocess.run(
        ["lynx", "-dump", "-nolist", "-nonumbers", f"-width={width}", "-assume_charset=utf-8",
         "-display_charset=utf-8", "-force_html", str(path)],
        capture_output=True, timeout=60, check=True,
    )
    return result.stdout.decode("utf-8", "replace")


_WS = re.compile(r"\s+")
_LIST_MARK = re.compile(r"^\s*(?:[*+o#\u2022\u25e6\u25aa-]|\d+\.)\s+")


def label_lines(lines: list[str], article: Article) -> list[int]:
    """TITLE for runs of lines spelling the headline; BODY for lines spelling the body texts in order.

    Matching ignores whitespace, so lynx's wrapping and hyphen breaks never break the alignment; a
    run that starts a body text but does not complete it is not labelled.
    """
    labels = [OTHER] * len(lines)
    squashed = [_WS.sub("", line) for line in lines]
    title = _WS.sub("", article.title)
    i = 0
    while i < len(lines):
        j, acc = i, ""
        while j < len(lines) and squashed[j] and title.startswith(acc + squashed[j]):
            acc += squashed[j]
            j += 1
        if acc and acc == title:
            labels[i:j] = [TITLE] * (j - i)
            i = j
        else:
            i += 1
    targets = [_WS.sub("", t) for t in article.body]
    t, offset, partial = 0, 0, []
    for i, s in enumerate(squashed):
        if not s or labels[i] == TITLE or t >= len(targets):
            continue
        item = _WS.sub("", _LIST_MARK.sub("", lines[i]))
        if item != s and (targets[t].startswith(item, offset) or (not offset and t + 1 < len(targets)
                                                                   and targets[t + 1].startswith(item))):
            s = item  # a list item: the bullet or number is lynx's, not the text's
        if offset and not targets[t].startswith(s, offset):
            offset, partial = 0, []  # the run broke off: it was not this body text after all
        if targets[t].startswith(s, offset):
            partial.append(i)
            offset += len(s)
        elif not offset and t + 1 < len(targets) and targets[t + 1].startswith(s):
            t, offset, partial = t + 1, len(s), [i]  # a body text lynx did not render where we expected
        else:
            continue
        if offset >= len(targets[t]):
            for k in partial:
                labels[k] = BODY
            t, offset, partial = t + 1, 0, []
    return labels


# The width lynx renders an other dumper's page at: wide enough that no paragraph wraps.
OTHER_DUMPER_WIDTH = 1000


def restyle(lines: list[str], labels: list[int], g: Gen) -> tuple[list[str], list[int]]:
    """Other dumpers than lynx: no left margin, bullet glyphs, no form or image placeholders.

    The seed pages come in such a style, so part of the training set is converted to it.
    """
    bullets = {"*": "\u2022", "+": "\u25e6", "o": "\u25aa"}
    out_lines, out_labels = [], []
    drop_placeholders = g.chance(0.7)
    for line, lab in zip(lines, labels):
        stripped = line.strip()
        if drop_placeholders and (stripped in ("(BUTTON)", "[INS: :INS]") or re.fullmatch(r"\[[^\]]*\.(jpg|png|gif|svg)\]", stripped)
                                  or stripped.startswith("IFRAME:") or re.fullmatch(r"_+", stripped)):
            continue
        if drop_placeholders:
            line = line.replace("(BUTTON) ", "")
        indent = len(line) - len(line.lstrip(" "))
        text = line.lstrip(" ")
        if text[:2] in ("* ", "+ ", "o ") or text in ("*", "+", "o"):
            line = " " * max(0, (indent - 3) // 2) + bullets[text[0]] + text[1:]
        else:
            line = line[min(indent, 3):]
        out_lines.append(line)
        out_labels.append(lab)
    return out_lines, out_labels


def cipher_html(page_html: str, g: Gen) -> str:
    """Replace every word of the page's text by a pseudo-word of another script or spelling.

    The articles we have are English; many real pages are not. Ciphered pages keep the page's
    structure and every length but take away English function words, so the model also learns to
    judge text it cannot read.
    """
    mode = g.pick(["latin", "cyrillic", "hangul", "cjk", "latin"])
    alphabets = {
        "latin": "abcdefghijklmnopqrstuvwyzäöüéèàçñß",
        "cyrillic": "абвгдежзийклмнопрстуфхцчшщыэюя",
        "hangul": "".join(chr(c) for c in range(0xAC00, 0xAC00 + 400, 7)),
        "cjk": "".join(chr(c) for c in range(0x4E00, 0x4E00 + 2000, 3)),
    }
    alphabet = alphabets[mode]
    mapping: dict[str, str] = {}

    def word(match: re.Match) -> str:
        w = match.group(0)
        key = w.lower()
        if key not in mapping:
            n = len(w)
            if mode in ("hangul", "cjk"):
                n = max(1, (n + 1) // 2)
            mapping[key] = "".join(g.pick(alphabet) for _ in range(n))
        out = mapping[key]
        if mode in ("latin", "cyrillic") and w[:1].isupper():
            out = out[:1].upper() + out[1:]
        return out

    def text_node(match: re.Match) -> str:
        text = re.sub(r"[^\W\d_]+", word, match.group(1))
        if mode == "cjk":
            text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)
            text = text.replace(". ", "\u3002").replace(", ", "\uff0c")
        return ">" + text + "<"

    return re.sub(r">([^<>]+)<", text_node, page_html)


@dataclass
class Sample:
    lines: list[str]
    labels: list[int]
    title: str
    kind: str = "article"


def make_sample(g: Gen, doc: Doc, workdir: Path, cipher_share: float = 0.25) -> Sample:
    kind, art = build_page(g, doc)
    page_html = art.html
    if g.chance(cipher_share):
        # cipher the page, then recover the ciphered article texts through the same mapping
        marker_html = page_html
        state = random.Random(g.rng.random())
        sub = Gen(state, g.docs)
        texts = [art.title] + art.body
        joined = "".join(f"<x>{esc(t)}</x>" for t in texts)
        both = cipher_html(marker_html + "<y>" + joined + "</y>", sub)
        page_html, tail = both.split("<y>", 1)
        ciphered = [html.unescape(m) for m in re.findall(r"<x>(.*?)</x>", tail, flags=re.S)]
        art = Article(page_html, ciphered[0], ciphered[1:])
    # Other dumpers than lynx (restyle) write each paragraph on one line: a page in their style is
    # rendered unwrapped. Restyled at lynx's widths, such pages had no margin but lynx's wraps, a mix
    # no dumper prints (its effect on the bundled examples was within the noise of retraining:
    # tools/train_textdump.py).
    other_dumper = g.chance(0.25)
    width = OTHER_DUMPER_WIDTH if other_dumper else g.pick([120] * 6 + [80, 100, 150, 200, 1000])
    text = render(page_html, width, workdir)
    lines = text.split("\n")
    labels = label_lines(lines, art)
    if other_dumper:
        lines, labels = restyle(lines, labels, g)
    return Sample(lines, labels, art.title, kind)


def make_samples(eval_dir: Path, n: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    docs = load_docs(eval_dir, rng)
    g = Gen(rng, docs)
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(n):
            samples.append(make_sample(g, g.pick(docs), Path(tmp)))
    return samples
