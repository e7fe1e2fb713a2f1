"""The story corpus (benchmarks/story_corpus.py) as two loopback web sites, for running story
matching through the real pipeline: feeds, page fetches, extraction with the site profiles,
cleaning, loaders.

- the agency site: every Xinhua article (originals, updates, shortened versions, unrelated
  stories) as a page of one of the two Xinhua layouts the "xinhua" profile reads
  (`/<section>/YYYYMMDD/<32 hex>/c.html` and `/english/YYYY-MM/DD/c_<digits>.htm`, dated in
  Beijing time like the real pages), in one RSS feed per corpus feed (pubDate at +0800);
- the syndication site: every syndicated copy as a page of another site's template, read by
  the "generic" profile. The headline and date are in a JSON-LD NewsArticle block and meta
  tags (each syndicator states its own UTC offset), the text in an <article> between a
  cookie banner, a navigation header, a share bar, a related-stories list and a footer.

render_site() writes both directories; the pages hold `{{BASE}}`, which flows.site_server
replaces with the serving address. feeds_toml() writes the feeds file once both servers
listen. `StorySite.paths` maps each page's URL path back to its corpus article, for scoring
what the pipeline loaded against the corpus groups.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from benchmarks.story_corpus import CorpusArticle

BEIJING = timezone(timedelta(hours=8))
AGENCY = "Xinhua"
END_MARK = " \u25a0"  # the 2021 layout ends its text with it; the cleaning drops it
MAX_ITEMS = 5000  # every item of a feed is read (the feeds file's default is 200)
# The UTC offset each syndicator states in its pages (not UTC: the profile must convert).
_OFFSETS = (timedelta(hours=3), timedelta(hours=-5), timedelta(hours=5, minutes=30),
            timedelta(hours=1), timedelta(hours=-3), timedelta(hours=9), timedelta(0),
            timedelta(hours=2))
_SECTIONS = ("world", "china", "business", "")  # '' = the layout's section-less form
_NAV = ("Home", "World", "Asia", "Business", "Technology", "Sport", "Culture", "Opinion")
# Text of the syndication site's chrome (cookie banner, share bar, related list, footer): none
# of it may reach an article's body, where it would be shared by every page of the site.
CHROME_MARKS = ("use of cookies", "Manage preferences", "WhatsApp", "More from our site",
                "Terms of use", "for a newswire benchmark")
_RELATED = ("Ports report busiest month on record", "Regional leaders meet on water security",
            "Central bank holds rates steady", "New high-speed line cuts travel times",
            "Heatwave warnings issued for the coast", "Start-ups draw record investment")


@dataclass(frozen=True)
class Feed:
    name: str
    site: str  # "agency" or "syndication"
    path: str  # of the RSS file on its site
    profile: str  # the site profile the feeds file names


@dataclass(frozen=True)
class StorySite:
    agency_dir: Path
    syndication_dir: Path
    feeds: tuple[Feed, ...]
    paths: dict[str, str]  # URL path of a page -> corpus article_id


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _digest(article: CorpusArticle) -> str:
    return hashlib.md5(article.article_id.encode()).hexdigest()


def agency_path(article: CorpusArticle) -> str:
    """One of the two Xinhua URL layouts, by a hash of the id (about a third the old one)."""
    local = article.published_at.astimezone(BEIJING)
    digest = _digest(article)
    if int(digest[:2], 16) % 3 == 0:
        return f"/english/{local:%Y-%m}/{local:%d}/c_{int(digest[:12], 16) % 10**9:09d}.htm"
    section = _SECTIONS[int(digest[2:4], 16) % len(_SECTIONS)]
    return f"{'/' + section if section else ''}/{local:%Y%m%d}/{digest}/c.html"


def syndication_path(article: CorpusArticle) -> str:
    local = article.published_at.astimezone(_zone(article.source_name))
    return (f"/{slug(article.source_name)}/news/{local:%Y/%m/%d}/"
            f"{slug(article.title)[:60].rstrip('-')}-{_digest(article)[:8]}.html")


def _zone(source: str) -> timezone:
    return timezone(_OFFSETS[int(hashlib.md5(source.encode()).hexdigest(), 16) % len(_OFFSETS)])


def _paragraphs(article: CorpusArticle, end_mark: str = "") -> str:
    paras = [html.escape(p) for p in article.paragraphs]
    if end_mark:
        paras[-1] += end_mark
    return "\n".join(f"<p>{p}</p>" for p in paras)


def _related(others: Sequence[CorpusArticle], path_of: dict[str, str]) -> str:
    return "".join(f'<li><a href="{{{{BASE}}}}{path_of[o.article_id]}" target="_blank">'
                   f"{html.escape(o.title)}</a></li>" for o in others)


def agency_page(article: CorpusArticle, path: str, related: str) -> str:
    """A page of the Xinhua layout its path names (same elements and classes as the real
    pages: flows/demo_site holds examples of both)."""
    local = article.published_at.astimezone(BEIJING)
    title = html.escape(article.title)
    if path.endswith(".htm"):
        return (
            '<!DOCTYPE HTML>\n<html>\n<head>\n<meta http-equiv="Content-Type" '
            'content="text/html; charset=utf-8" />\n'
            f"<title>\n{title} - Xinhua | English.news.cn\n</title>\n</head>\n"
            '<body class="streamline-page">\n<div class="nav"><div class="nav-ul">'
            '<a href="{{BASE}}/english/home.htm">Home</a> <a href="{{BASE}}/english/china/">'
            'China</a> <a href="{{BASE}}/english/world/">World</a></div></div>\n'
            '<div class="header"><div class="h-news">\n'
            f'<div class="h-title">{title}</div>\n<div class="h-info"><span class="h-source">'
            f'Source: Xinhua|</span><span class="h-time"> {local:%Y-%m-%d %H:%M:%S}</span>'
            '</div>\n</div></div>\n<div class="main"><div class="p-left" id="fllow1">'
            '<div class="s-item"><a class="s-fb" href="javascript:void(0);"></a> Facebook '
            '</div><div class="s-item"><a class="s-tw" href="javascript:void(0);"></a> '
            'Twitter </div></div>\n<div class="p-right left">\n<div id="p-detail">\n'
            f"{_paragraphs(article, ' Enditem')}\n</div>\n"
            '<div class="p-tags"><span class="p-editor">[Editor: Zhang Lu]</span></div>\n'
            f'<div class="bd-related"><h3>More Stories</h3><ul>{related}</ul></div>\n'
            '</div></div>\n<div class="footer"><div class="c-bq">Synthetic pages generated '
            "for a newswire benchmark; not published news.</div></div>\n</body>\n</html>\n")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n'
        f'<meta name="publishdate" content="{local:%Y-%m-%d %H:%M:%S}" />\n'
        '<meta name="source" content="Xinhua" />\n'
        f"<title>{title} - Xinhua | English.news.cn</title>\n"
        f'<link rel="canonical" href="{{{{BASE}}}}{path}" />\n</head>\n<body>\n'
        '<div class="header domPC"><div class="nav right"><ul class="clearfix">'
        + "".join(f'<li><a href="{{{{BASE}}}}/{slug(n)}/index.htm">{n}</a></li>'
                  for n in _NAV[:5])
        + '</ul></div></div>\n<div class="header-cont clearfix"><div class="wrapper">\n'
        '<div class="header-path"><a href="{{BASE}}/">Home</a> <span>&gt;</span> '
        '<a href="{{BASE}}/world/index.htm">World</a></div>\n'
        f'<div class="head-line clearfix"><h1><span class="title">{title}</span></h1></div>\n'
        '<div class="info clearfix">\n'
        f'<div class="header-time left"><span class="year"><em>{local:%Y}</em></span>'
        f'<span class="day"><em>{local:%m}</em>/<em>{local:%d}</em></span>'
        f'<span class="time">{local:%H:%M:%S}</span></div>\n'
        '<div class="source left"><span class="source">Source: Xinhua</span></div>\n'
        '<div class="pageShare right"><div class="share"><span class="fxd">Share to:</span>'
        '<a href="javascript:void(0);" class="fb" title="Share on Facebook"></a>'
        '<a href="javascript:void(0);" class="tw" title="Share on X"></a></div></div>\n'
        '</div></div></div>\n<div class="main clearfix"><div class="main-left left">\n'
        f'<div id="detail">\n{_paragraphs(article, END_MARK)}\n</div>\n'
        '<div class="editor">[Editor: Zhang Lu]</div>\n'
        '<div class="columBox xhgd"><div class="col-tit"><span>Related Stories</span></div>'
        f'<ul class="xhgd-list">{related}</ul></div>\n</div></div>\n'
        '<div id="foot"><div class="copyright">Synthetic pages generated for a newswire '
        "benchmark; not published news.</div></div>\n</body>\n</html>\n")


def syndication_page(article: CorpusArticle, path: str, related: str) -> str:
    """Another site's page: its own chrome around the text, the date in its own zone."""
    site = article.source_name
    local = article.published_at.astimezone(_zone(site))
    title = html.escape(article.title)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": article.title, "datePublished": local.isoformat(timespec="seconds"),
          "author": {"@type": "Organization", "name": AGENCY},
          "publisher": {"@type": "Organization", "name": site},
          "mainEntityOfPage": f"{{{{BASE}}}}{path}"}
    nav = "".join(f'<li><a href="{{{{BASE}}}}/{slug(site)}/{slug(n)}/">{n}</a></li>'
                  for n in _NAV)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n'
        f"<title>{title} | {html.escape(site)}</title>\n"
        f'<meta property="og:title" content="{title}" />\n'
        f'<meta property="og:site_name" content="{html.escape(site)}" />\n'
        f'<meta property="article:published_time" '
        f'content="{local.isoformat(timespec="seconds")}" />\n'
        f'<link rel="canonical" href="{{{{BASE}}}}{path}" />\n'
        '<script type="application/ld+json">'
        f"{_script_json(ld)}</script>\n"
        "</head>\n<body>\n"
        '<div id="cookie-banner" class="consent"><p>We use cookies to improve your '
        "experience and to show you relevant advertising. By continuing to browse you agree "
        'to our use of cookies.</p><button type="button">Accept all</button> '
        '<a href="{{BASE}}/privacy/">Manage preferences</a></div>\n'
        f'<header class="site-header"><a class="logo" href="{{{{BASE}}}}/{slug(site)}/">'
        f"{html.escape(site)}</a>\n<nav><ul>{nav}</ul></nav>\n"
        '<form class="search"><input type="search" placeholder="Search" /></form></header>\n'
        '<main>\n<article class="story">\n'
        f'<h1 class="headline">{title}</h1>\n'
        f'<div class="byline">By {AGENCY} | <time datetime="'
        f'{local.isoformat(timespec="seconds")}">{local:%B %d, %Y %H:%M}</time></div>\n'
        '<ul class="share-bar"><li><a href="javascript:void(0)">Facebook</a></li>'
        '<li><a href="javascript:void(0)">X</a></li><li><a href="javascript:void(0)">'
        "WhatsApp</a></li><li><a href=\"javascript:void(0)\">Email</a></li></ul>\n"
        f'<div class="story-body">\n{_paragraphs(article)}\n</div>\n</article>\n'
        '<aside class="related"><h2>More from our site</h2>'
        f"<ul>{related}</ul></aside>\n</main>\n"
        '<footer class="site-footer"><ul><li><a href="{{BASE}}/about/">About us</a></li>'
        '<li><a href="{{BASE}}/contact/">Contact</a></li><li><a href="{{BASE}}/terms/">'
        f"Terms of use</a></li></ul><p>&copy; {local:%Y} {html.escape(site)}. Synthetic "
        "page generated for a newswire benchmark; not published news.</p></footer>\n"
        "</body>\n</html>\n")


def _script_json(data: dict[str, object]) -> str:
    # '</' inside a <script> would end it early; JSON allows the escaped form instead.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def rss(title: str, items: Sequence[tuple[CorpusArticle, str]], zone: timezone) -> str:
    """RSS 2.0 listing the pages, newest first, pubDate in the site's zone."""
    ordered = sorted(items, key=lambda i: i[0].published_at, reverse=True)
    body = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{{{{BASE}}}}{p}</link>"
        f'<guid isPermaLink="true">{{{{BASE}}}}{p}</guid>'
        f"<pubDate>{format_datetime(a.published_at.astimezone(zone))}</pubDate>"
        f"<description>{html.escape(a.paragraphs[0][:200])}</description></item>\n"
        for a, p in ordered)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{html.escape(title)}</title><link>{{{{BASE}}}}/</link>"
            "<description>Synthetic benchmark feed</description><language>en</language>\n"
            f"{body}</channel></rss>\n")


def render_site(articles: Sequence[CorpusArticle], root: Path) -> StorySite:
    """Write the two sites under root/agency and root/syndication."""
    dirs = {"agency": root / "agency", "syndication": root / "syndication"}
    path_of = {a.article_id: agency_path(a) if a.source_name == AGENCY else syndication_path(a)
               for a in articles}
    if len(set(path_of.values())) != len(path_of):
        raise ValueError("two corpus articles got the same page path")
    by_feed: dict[str, list[CorpusArticle]] = defaultdict(list)
    for article in articles:
        by_feed[article.feed].append(article)
    feeds = []
    for name, members in sorted(by_feed.items()):
        sites = {"agency" if a.source_name == AGENCY else "syndication" for a in members}
        if len(sites) != 1:
            raise ValueError(f"feed {name!r} lists pages of both sites")
        site = sites.pop()
        feed = Feed(name, site, f"/rss/{name}.xml", "xinhua" if site == "agency" else "generic")
        feeds.append(feed)
        zone = BEIJING if site == "agency" else _zone(members[0].source_name)
        _write(dirs[site] / feed.path.lstrip("/"),
               rss(name, [(a, path_of[a.article_id]) for a in members], zone))
        for index, article in enumerate(members):
            # Links to other pages of the feed: what a related-stories box holds.
            others = [members[(index + k) % len(members)] for k in (1, 2, 3)
                      if len(members) > k]
            related = _related(others, path_of)
            path = path_of[article.article_id]
            page = (agency_page if site == "agency" else syndication_page)(article, path,
                                                                         related)
            _write(dirs[site] / path.lstrip("/"), page)
    return StorySite(dirs["agency"], dirs["syndication"], tuple(feeds),
                     {p: a for a, p in path_of.items()})


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def feeds_toml(site: StorySite, agency_base: str, syndication_base: str,
               sites: Collection[str] = ("agency", "syndication")) -> str:
    """The feeds file for the two sites served at these base URLs (the feeds of `sites`)."""
    bases = {"agency": agency_base, "syndication": syndication_base}
    return "".join(f'[[feed]]\nname = "{f.name}"\nurl = "{bases[f.site]}{f.path}"\n'
                   f'profile = "{f.profile}"\nmax_items = {MAX_ITEMS}\n\n'
                   for f in site.feeds if f.site in sites)


def corpus_id(url: str, site: StorySite) -> str | None:
    """The corpus article a loaded URL is the page of (None: not one of ours)."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0]
    return site.paths.get(path)
