"""The PR comment body on its own: ids, escaping, hidden state, parsing and the size limit."""

from __future__ import annotations

from leadkit.pr.comment import (
    ALL_LEFT_OUT,
    GITHUB_LIMIT,
    MARKER,
    NOTHING_LEFT,
    Offer,
    Record,
    State,
    delegate_offer,
    parse,
    render,
    review_offer,
    split_id,
    suggestion_id,
)


def test_ids_round_trip_and_cannot_close_an_html_comment() -> None:
    sid = suggestion_id("delegate", "acme/x#3", "weird:-->id")
    assert "-->" not in sid and ":" not in sid.split(":", 2)[2]
    assert split_id(sid) == ("delegate", "acme/x#3", "weird:-->id")


def test_hidden_state_survives_hostile_text_and_round_trips() -> None:
    state = State(declined=["review:a/b#1:x"])
    state.record(Record("review:a/b#1:y", True, "done --> <b>@all</b>", "bot-1", "2026-01-01"))
    body = render(offers=[], notes=[], state=state)
    hidden = body[body.index("<!-- leadkit:state") :]
    assert hidden.count("-->") == 1  # only the comment's own end
    back = parse(body).state
    assert back.declined == ["review:a/b#1:x"]
    assert back.records == state.records


def test_ticks_strikes_and_declines_are_read_back() -> None:
    offers = [
        review_offer(suggestion_id("review", "a/b#1", p), p.title(), "Lead", "why")
        for p in ("ann", "bob", "cy", "dee")
    ]
    body = render(offers=offers, notes=["because"], state=State())
    edited = (
        body.replace("- [ ] Ask Ann", "- [x] Ask Ann")
        .replace("- [ ] Ask Bob to review", "- [ ] ~~Ask Bob to review")
        .replace(":bob -->", ":bob --> ~~")
        .replace("- [ ] Ask Cy", "- [X] Ask Cy")
        .replace("why <!-- s:review:a/b#1:cy", "why, Declined <!-- s:review:a/b#1:cy")
    )
    parsed = parse(edited.replace("\n", "\r\n"))
    assert parsed.ticked == ["review:a/b#1:ann"]
    assert {o.sid for o in parsed.declined_now} == {"review:a/b#1:bob", "review:a/b#1:cy"}
    assert [o.sid for o in parsed.offers] == ["review:a/b#1:ann", "review:a/b#1:dee"]
    assert parsed.notes == ["because"]


def test_a_title_saying_declined_does_not_decline() -> None:
    offer = delegate_offer(
        suggestion_id("delegate", "PAY-1", "ann"), "PAY-1", "Declined ~~cards~~", None, "Ann", "x"
    )
    parsed = parse(render(offers=[offer], notes=[], state=State()))
    assert parsed.declined_now == [] and [o.sid for o in parsed.offers] == [offer.sid]


def test_the_body_stays_under_githubs_limit_and_says_what_was_cut() -> None:
    offers = [Offer(suggestion_id("review", "a/b#1", f"p{i}"), "x" * 900) for i in range(120)]
    body = render(offers=offers, notes=["n" * 500] * 40, state=State(), ticked=[offers[-1].sid])
    assert len(body) < GITHUB_LIMIT
    assert body.startswith(MARKER)
    assert "Left out to stay under GitHub's 65,536-character limit" in body
    parsed = parse(body)
    assert offers[-1].sid in parsed.ticked  # a ticked box is never cut
    assert parsed.state == State()


def test_when_no_suggestion_fits_it_never_says_nothing_is_left() -> None:
    offers = [Offer(suggestion_id("review", "a/b#1", f"p{i}"), "x" * 70_000) for i in range(2)]
    body = render(offers=offers, notes=[], state=State())
    assert len(body) < GITHUB_LIMIT
    assert NOTHING_LEFT not in body
    assert ALL_LEFT_OUT in body and "2 suggestions._" in body
    assert NOTHING_LEFT in render(offers=[], notes=[], state=State())
