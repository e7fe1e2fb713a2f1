"""Story matching (transforms/stories/): signatures, title keys, and placement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.story_texts import Text, demo_texts, paragraphs, shortened, syndicated, updated
from transforms.stories import (
    SCHEME,
    Arrival,
    StoryIndex,
    StoryMember,
    assign_stories,
    cluster_articles,
    story_signature,
    title_key,
)
from transforms.stories.matching import containment


@pytest.mark.parametrize(("title", "key"), [
    ("Xi meets Tokayev in Astana", "xi meets tokayev in astana"),
    ("Update: Xi meets Tokayev in Astana", "xi meets tokayev in astana"),
    ("Roundup: Xi meets Tokayev in Astana - Xinhua", "xi meets tokayev in astana"),
    ("(2nd LD-Writethru) Xi Meets Tokayev in Astana", "xi meets tokayev in astana"),
    ("Feature: Xi meets Tokayev in Astana | Asia Daily News", "xi meets tokayev in astana"),
    ("Xi meets Tokayev in Astana (Xinhua)", "xi meets tokayev in astana"),
    ("Xi, Tokayev hold talks", "xi tokayev hold talks"),
    ("News summary", None),  # too short to name one story
    ("Update: Markets", None),
    (None, None),
])
def test_title_key_drops_what_differs_between_versions(title: str | None,
                                                       key: str | None) -> None:
    assert title_key(title) == key


def test_a_signature_is_deterministic_and_named_by_its_scheme() -> None:
    text = demo_texts()[0]
    one, two = story_signature(text.body, text.title), story_signature(text.body, text.title)
    assert one == two
    assert one.scheme == SCHEME
    assert len(one.body_minhash) == 128 * 4 and len(one.lead_minhash) == 64 * 4
    assert one.shingles > 200
    assert story_signature("", None).shingles == 0


def test_containment_of_a_subset_is_one_and_of_disjoint_sets_zero() -> None:
    # A inside B with |A| = 100, |B| = 400: J = 0.25.
    assert containment(0.25, 100, 400) == pytest.approx(1.0)
    assert containment(0.25, 400, 100) == pytest.approx(1.0)
    assert containment(0.0, 100, 400) == 0.0
    assert containment(0.5, 0, 10) == 0.0


def _arrival(text: Text) -> Arrival:
    return Arrival(text.article_id, text.published_at, story_signature(text.body, text.title))


def test_unrelated_articles_are_stories_of_their_own() -> None:
    texts = demo_texts()
    stories = cluster_articles(texts)
    assert stories == {t.article_id: t.article_id for t in texts}


@pytest.mark.parametrize(("variant", "kinds"), [
    (shortened, {"lead", "body"}), (updated, {"body"}), (syndicated, {"body"})])
def test_versions_of_an_article_join_its_story(variant, kinds: set[str]) -> None:
    texts = demo_texts()
    for text in texts:
        copy = variant(text, f"{text.article_id}-v")
        placements = assign_stories([_arrival(t) for t in (*texts, copy)])
        assert placements[-1].story_id == text.article_id, (variant.__name__, text.title)
        assert placements[-1].kind in kinds
        assert placements[-1].matched_article_id == text.article_id


def test_a_version_arriving_first_starts_the_story() -> None:
    text = demo_texts()[3]
    short = shortened(text, "short", later=timedelta(hours=-3))
    placements = assign_stories([_arrival(short), _arrival(text)])
    assert [p.story_id for p in placements] == ["short", "short"]
    assert placements[0].kind == "first" and placements[0].matched_article_id is None


def test_no_match_across_more_than_the_window() -> None:
    text = demo_texts()[1]
    late = updated(text, "late", later=timedelta(days=8))
    placements = assign_stories([_arrival(text), _arrival(late)])
    assert placements[1].story_id == "late"


def test_the_same_title_over_different_text_starts_another_story() -> None:
    a, b = demo_texts()[4], demo_texts()[5]
    same_title = Text("b2", a.title, b.body, a.published_at + timedelta(hours=1))
    placements = assign_stories([_arrival(a), _arrival(same_title)])
    assert placements[1].story_id == "b2"


def test_the_same_title_joins_a_short_copy_whose_lead_is_boilerplate() -> None:
    text = demo_texts()[6]
    paras = paragraphs(text)
    # Two paragraphs under a site's own first line: too small a text for the body rule, and
    # another lead; the title (prefix and suffix aside) and the text it has decide.
    copy = Text("copy", f"Update: {text.title} | Asia Daily News",
                "\n\n".join(["Share this story | Print | Font size", paras[2], paras[3]]),
                text.published_at + timedelta(hours=3))
    placements = assign_stories([_arrival(text), _arrival(copy)])
    assert placements[1].kind == "title"
    assert placements[1].story_id == text.article_id
    retitled = Text("retitled", "Regional news in brief", copy.body, copy.published_at)
    assert assign_stories([_arrival(text), _arrival(retitled)])[1].story_id == "retitled"


def test_an_article_matching_two_stories_joins_one_and_both_keep_their_ids() -> None:
    a, b = demo_texts()[7], demo_texts()[8]
    both = Text("both", "A digest of two stories of the day",
                "\n\n".join([*paragraphs(a)[:6], *paragraphs(b)[:3]]),
                a.published_at + timedelta(hours=1))
    placements = assign_stories([_arrival(a), _arrival(b), _arrival(both)])
    assert [p.story_id for p in placements[:2]] == [a.article_id, b.article_id]
    assert placements[2].story_id == a.article_id  # the larger share of it


def test_empty_texts_never_match_each_other() -> None:
    empty = [Text(f"e{n}", f"Untitled {n}", "", demo_texts()[0].published_at)
             for n in range(2)]
    assert [p.story_id for p in assign_stories([_arrival(t) for t in empty])] == ["e0", "e1"]


def test_the_index_forgets_what_is_older_than_a_cutoff() -> None:
    text = demo_texts()[2]
    sig = story_signature(text.body, text.title)
    index = StoryIndex([StoryMember(text.article_id, text.article_id, text.published_at, sig)])
    copy = updated(text, "copy")
    assert index.place(_arrival(copy)).story_id == text.article_id
    index.forget_before(text.published_at + timedelta(seconds=1))
    assert len(index) == 0
    assert index.place(_arrival(copy)).story_id == "copy"


def test_a_signature_of_another_scheme_is_refused() -> None:
    from dataclasses import replace

    text = demo_texts()[0]
    old = replace(story_signature(text.body, text.title), scheme="w3-p64")
    with pytest.raises(ValueError, match="rebuild-stories"):
        StoryIndex([StoryMember(text.article_id, text.article_id, text.published_at, old)])


def test_a_text_hardly_longer_than_its_lead_joins_by_the_lead() -> None:
    # The first paragraphs (about the lead's 60 words) of a long article, under another
    # headline: their containment estimate against so long a text is noise, the lead is most
    # of them.
    for text in demo_texts():
        others = [t.body for t in demo_texts() if t is not text]
        long = Text(text.article_id, text.title, "\n\n".join([text.body, *others]),
                    text.published_at)
        words = text.body.split()
        brief = Text("brief", "In brief", " ".join(words[:70]),
                     text.published_at + timedelta(hours=1))
        placements = assign_stories([_arrival(long), _arrival(brief)])
        assert placements[1].story_id == text.article_id, text.title
        assert placements[1].kind == "lead"


def test_among_equal_matches_the_smallest_ids_win_whatever_the_candidate_order() -> None:
    text = demo_texts()[9]
    # The short version is wholly inside each of these (score 1.0 for all): the original and
    # versions of it with a paragraph added.
    members = [Text(f"m-{c}", text.title, f"{text.body}\n\nAdded paragraph {c} of the day.",
                    text.published_at) for c in "edcba"]
    short = shortened(text, "short")
    for order in (members, members[::-1]):
        index = StoryIndex()
        for m in order:
            index.add(StoryMember(m.article_id, "story", m.published_at,
                                  story_signature(m.body, m.title)))
        placed = index.place(_arrival(short))
        assert (placed.story_id, placed.matched_article_id) == ("story", "m-a")
