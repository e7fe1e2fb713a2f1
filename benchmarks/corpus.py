"""A synthetic Xinhua-style corpus for benchmarks: N articles of about 600 words in the 2021+
page layout, listed in RSS feeds of 100 items each.

    python benchmarks/corpus.py --articles 2000 --out /tmp/corpus

The text is generated from templates and name pools (deterministic for a seed), dense in the
people, organisations, countries and quotes that the entity step works on.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

PEOPLE = ["Li Qiang", "Wang Yi", "Antonio Guterres", "Ngozi Okonjo-Iweala", "Maria Santos",
          "Ahmed Hassan", "Elena Petrova", "John Carter", "Chen Wei", "Zhang Min",
          "Fatima Diallo", "Kenji Tanaka", "Ana Costa", "David Miller", "Liu Yang",
          "Sergei Ivanov", "Grace Wanjiru", "Tran Minh", "Omar Khalil", "Sofia Rossi"]
ORGS = ["World Health Organization", "United Nations", "World Trade Organization",
        "International Monetary Fund", "Shanghai Cooperation Organization", "African Union",
        "Association of Southeast Asian Nations", "New Development Bank", "European Union",
        "China Electricity Council", "World Bank", "International Energy Agency"]
PLACES = [("BEIJING", "China"), ("GENEVA", "Switzerland"), ("NAIROBI", "Kenya"),
          ("BRASILIA", "Brazil"), ("ASTANA", "Kazakhstan"), ("JAKARTA", "Indonesia"),
          ("CAIRO", "Egypt"), ("MOSCOW", "Russia"), ("CANBERRA", "Australia"),
          ("VIENTIANE", "Laos"), ("SANTIAGO", "Chile"), ("HANOI", "Vietnam")]
DEMONYMS = ["Chinese", "Kenyan", "Brazilian", "Kazakh", "Indonesian", "Egyptian", "Russian",
            "Australian", "Lao", "Chilean", "Vietnamese", "Swiss"]
TOPICS = ["trade", "renewable energy", "public health", "infrastructure", "agriculture",
          "digital economy", "climate finance", "tourism", "education", "transport"]
SENTENCES = [
    "{p} said on {d} that cooperation in {t} between {c1} and {c2} had grown steadily over "
    "the past year, bringing tangible benefits to people in both countries.",
    "The {o} expects demand in {t} to rise further as governments across the region invest "
    "in new projects and expand training programs for young workers.",
    '"We will continue to work with all partners to make progress on {t}," {p} said, adding '
    "that the {o} would publish a detailed plan before the end of the year.",
    "According to figures released by the {o}, investment in {t} reached a record high in "
    "the first half, with {dem} companies accounting for a growing share.",
    "{p} told reporters that the talks in {city} had been constructive and that both sides "
    "had agreed to meet again soon to review the progress of the joint projects.",
    "Officials from {c1} and {c2} signed several agreements covering {t}, logistics and "
    "personnel exchanges, the {o} said in a statement.",
    "Analysts said the new measures would help stabilize supply chains and create jobs, "
    "although rising costs remained a concern for smaller firms in {c2}.",
    '"This is a long-term commitment, not a one-off project," said {p}, who has worked on '
    "{t} programs for more than a decade.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _paragraph(rng: random.Random, sentences: int) -> str:
    city, c1 = rng.choice(PLACES)
    c2 = rng.choice([c for _, c in PLACES if c != c1])
    return " ".join(rng.choice(SENTENCES).format(
        p=rng.choice(PEOPLE), o=rng.choice(ORGS), t=rng.choice(TOPICS), c1=c1, c2=c2,
        city=city.title(), dem=rng.choice(DEMONYMS), d=rng.choice(DAYS))
        for _ in range(sentences))


def _page(rng: random.Random, title: str, when: datetime, place: str, words: int) -> str:
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < words:
        paragraphs.append(_paragraph(rng, rng.randint(2, 3)))
    beijing = when + timedelta(hours=8)
    paragraphs[0] = f"{place}, {beijing:%b}. {beijing.day} (Xinhua) -- {paragraphs[0]}"
    paragraphs[-1] += " \u25a0"
    caption = (f"<p>A view of the venue in {place.title()}, {beijing:%b}. {beijing.day}, "
               f"{beijing.year}. (Xinhua/{rng.choice(PEOPLE)})</p>")
    body = caption + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" />'
            f'<meta name="publishdate" content="{beijing:%Y-%m-%d %H:%M:%S}" />'
            f"<title>{html.escape(title)} - Xinhua | English.news.cn</title></head><body>"
            f'<div class="nav">Home | China | World | Business</div>'
            f'<div class="head-line"><h1><span class="title">{html.escape(title)}</span></h1>'
            f'</div><div class="header-time"><span class="year"><em>{beijing.year}</em></span>'
            f'<span class="day"><em>{beijing:%m}</em>/<em>{beijing:%d}</em></span>'
            f'<span class="time">{beijing:%H:%M:%S}</span></div>'
            f'<span class="source">Source: Xinhua</span>'
            f'<div class="editor">Editor: huaxia</div><div id="detail">{body}</div>'
            f'<div class="related">Related: more news from the region</div></body></html>')


def write_corpus(out: Path, articles: int, *, seed: int = 7, feed_size: int = 100,
                 words: int = 600) -> list[Path]:
    """Write pages and feeds under `out`; returns the feed paths."""
    rng = random.Random(seed)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    items: list[str] = []
    for n in range(articles):
        when = start + timedelta(minutes=17 * n)
        digest = hashlib.md5(f"{seed}-{n}".encode()).hexdigest()
        rel = f"{when + timedelta(hours=8):%Y%m%d}/{digest}/c.html"
        topic, (place, country) = rng.choice(TOPICS), rng.choice(PLACES)
        title = f"{country} and partners step up cooperation on {topic} ({n})"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(rng, title, when, place, words), encoding="utf-8")
        items.append(f"<item><title>{html.escape(title)}</title><link>{{{{BASE}}}}/{rel}</link>"
                     f"<guid>{{{{BASE}}}}/{rel}</guid>"
                     f"<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>")
    feeds = []
    (out / "rss").mkdir(parents=True, exist_ok=True)
    for index in range(0, len(items), feed_size):
        feed = out / "rss" / f"feed{index // feed_size:03d}.xml"
        feed.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                        f"<title>Benchmark feed {index // feed_size}</title>"
                        + "".join(items[index:index + feed_size]) + "</channel></rss>",
                        encoding="utf-8")
        feeds.append(feed)
    return feeds


def feeds_toml(feeds: list[Path], base_url: str) -> str:
    return "".join(f'[[feed]]\nname = "{f.stem}"\nurl = "{base_url}/rss/{f.name}"\n'
                   f'profile = "xinhua"\nmax_items = 1000\n\n' for f in feeds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    opts = parser.parse_args()
    feeds = write_corpus(opts.out, opts.articles, seed=opts.seed)
    print(f"wrote {opts.articles} articles in {len(feeds)} feeds under {opts.out}")


if __name__ == "__main__":
    main()
