import pytest

from transforms.feeds_config import FeedsConfigError, parse_feeds_config

GOOD = """
[[feed]]
name = "agency-world"
url = "https://news.example.org/rss/world.xml"
profile = "xinhua"

[[feed]]
name = "other"
url = "http://127.0.0.1:9/feed.xml"
profile = "generic"
schedule = "*/30 * * * *"
enabled = false
max_items = 50
"""


def test_good_config_parses() -> None:
    feeds = parse_feeds_config(GOOD)
    assert [f.name for f in feeds] == ["agency-world", "other"]
    assert feeds[0].enabled and feeds[0].max_items == 200 and feeds[0].schedule is None
    assert feeds[1].profile == "generic" and not feeds[1].enabled and feeds[1].max_items == 50


@pytest.mark.parametrize(("text", "message"), [
    ('[[feed]]\nname="a"\nurl="http://x/f"\nprofile="xinhua"\ncolour="red"\n', "unknown key"),
    ('[[feed]]\nname="a"\nurl="http://x/f"\nprofile="xinhua"\n'
     '[[feed]]\nname="a"\nurl="http://y/f"\nprofile="xinhua"\n', "duplicate feed name"),
    ('[[feed]]\nname="a"\nurl="ftp://x/f"\nprofile="xinhua"\n', "not an http(s) URL"),
    ('[[feed]]\nname="A_b"\nurl="http://x/f"\nprofile="xinhua"\n', "[a-z0-9-]+"),
    ('[[feed]]\nname="a"\nurl="http://x/f"\nprofile="nosuch"\n', "unknown profile"),
    ('[[feed]]\nname="a"\nurl="http://x/f"\n', "'profile' is required"),
    ('[[feed]]\nname="a"\nurl="http://x/f"\nprofile="xinhua"\nmax_items=0\n', "max_items"),
    ('[[feed]]\nname="a"\nurl="http://x/f"\nprofile="xinhua"\nschedule="hourly"\n', "cron"),
    ("[[feed]\nname=", "not valid TOML"),
    ("", "no [[feed]] entries"),
    ('title = "x"\n', "unknown top-level key"),
])
def test_bad_config_is_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(FeedsConfigError, match=None) as info:
        parse_feeds_config(text)
    assert message in str(info.value)
