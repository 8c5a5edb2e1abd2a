"""The chat's pure rules: who sees which message and under which name (each anonymity
mode × each kind of viewer), moderation transitions, blocked words (whole words and
phrases, any case), when a participant may post, and the limits on what is typed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workshop.domain.chat import (
    BLOCKED_WORD_MAX,
    BLOCKED_WORDS_MAX,
    DEFAULT_BLOCKED_WORDS,
    MESSAGE_MAX,
    POSTS_PER_MINUTE,
    Anonymity,
    ChatMode,
    ChatSettings,
    Message,
    MessageStatus,
    author_for,
    check_can_post,
    clean_blocked_words,
    clean_message,
    contains_blocked,
    initial_status,
    moderate,
    visible_to,
)
from workshop.domain.errors import Conflict, InvalidInput

ALICE, BOB = "p-alice", "p-bob"
VISIBLE, PENDING, HIDDEN = MessageStatus.VISIBLE, MessageStatus.PENDING, MessageStatus.HIDDEN


def message(status: MessageStatus = VISIBLE, *, question: bool = False,
            answered: bool = False, author: str = ALICE, name: str = "Alice",
            text: str = "Hello room") -> Message:
    return Message(id="m-1", workshop_id="ws-1", participant_id=author, author_name=name,
                   text=text, question=question, reply_to=None, status=status,
                   answered=answered, upvotes=0, activity_id=None, created_at=1000.0)


# -- anonymity: the name each viewer may see --------------------------------------------

# (anonymity, viewer) → the name shown; viewers: the facilitator, the author herself,
# another participant, and somebody unknown (no viewer id: the shared room fragment)
NAMES = [
    (Anonymity.NAMED, "facilitator", "Alice"),
    (Anonymity.NAMED, "author", "Alice"),
    (Anonymity.NAMED, "peer", "Alice"),
    (Anonymity.NAMED, "room", "Alice"),
    (Anonymity.ANONYMOUS_TO_PEERS, "facilitator", "Alice"),
    (Anonymity.ANONYMOUS_TO_PEERS, "author", "Alice"),
    (Anonymity.ANONYMOUS_TO_PEERS, "peer", None),
    (Anonymity.ANONYMOUS_TO_PEERS, "room", None),
    (Anonymity.ANONYMOUS, "facilitator", None),
    (Anonymity.ANONYMOUS, "author", None),
    (Anonymity.ANONYMOUS, "peer", None),
    (Anonymity.ANONYMOUS, "room", None),
]


def viewer(kind: str) -> tuple[bool, str | None]:
    return {"facilitator": (True, None), "author": (False, ALICE), "peer": (False, BOB),
            "room": (False, None)}[kind]


@pytest.mark.parametrize(("anonymity", "who", "expected"), NAMES,
                         ids=[f"{a.value}-{w}" for a, w, _ in NAMES])
def test_author_for_each_mode_and_viewer(anonymity: Anonymity, who: str,
                                         expected: str | None) -> None:
    facilitator, viewer_id = viewer(who)
    assert author_for(message(), anonymity, facilitator=facilitator,
                      viewer_id=viewer_id) == expected


@pytest.mark.parametrize("anonymity", [Anonymity.NAMED, Anonymity.ANONYMOUS_TO_PEERS])
def test_a_participant_without_a_name_shows_as_anonymous_where_names_show(
        anonymity: Anonymity) -> None:
    nameless = message(name="")
    assert author_for(nameless, anonymity, facilitator=True) == "Anonymous"
    assert author_for(nameless, anonymity, facilitator=False, viewer_id=ALICE) == "Anonymous"


def test_anonymity_notices_tell_participants_who_sees_their_name() -> None:
    assert "name is shown" in Anonymity.NAMED.notice
    assert "facilitator does" in Anonymity.ANONYMOUS_TO_PEERS.notice
    assert "not even the facilitator" in Anonymity.ANONYMOUS.notice


# -- visibility: which messages each viewer sees ----------------------------------------

ON = ChatSettings(mode=ChatMode.ON)
FACILITATOR_ONLY = ChatSettings(mode=ChatMode.FACILITATOR_ONLY)

# (mode, status, viewer) → visible?
VISIBILITY = [
    (ON, VISIBLE, "facilitator", True),
    (ON, VISIBLE, "author", True),
    (ON, VISIBLE, "peer", True),
    (ON, VISIBLE, "room", True),
    (ON, PENDING, "facilitator", True),
    (ON, PENDING, "author", True),  # her own message, waiting for approval
    (ON, PENDING, "peer", False),
    (ON, PENDING, "room", False),
    (ON, HIDDEN, "facilitator", True),
    (ON, HIDDEN, "author", False),
    (ON, HIDDEN, "peer", False),
    (ON, HIDDEN, "room", False),
    (FACILITATOR_ONLY, VISIBLE, "facilitator", True),
    (FACILITATOR_ONLY, VISIBLE, "author", True),
    (FACILITATOR_ONLY, VISIBLE, "peer", False),
    (FACILITATOR_ONLY, VISIBLE, "room", False),
    (FACILITATOR_ONLY, PENDING, "author", True),
    (FACILITATOR_ONLY, PENDING, "peer", False),
    (FACILITATOR_ONLY, HIDDEN, "facilitator", True),
    (FACILITATOR_ONLY, HIDDEN, "author", False),
]


@pytest.mark.parametrize(("settings", "status", "who", "expected"), VISIBILITY,
                         ids=[f"{s.mode.value}-{st.value}-{w}" for s, st, w, _ in VISIBILITY])
def test_visible_to_each_mode_status_and_viewer(settings: ChatSettings, status: MessageStatus,
                                                who: str, expected: bool) -> None:
    facilitator, viewer_id = viewer(who)
    assert visible_to(message(status), settings, facilitator=facilitator,
                      viewer_id=viewer_id) is expected


def test_anonymity_does_not_change_who_sees_a_message() -> None:
    for anonymity in Anonymity:
        settings = ChatSettings(anonymity=anonymity)
        assert visible_to(message(), settings, facilitator=False, viewer_id=BOB)
        assert not visible_to(message(PENDING), settings, facilitator=False, viewer_id=BOB)


# -- moderation transitions -------------------------------------------------------------


def test_approve_makes_a_pending_message_visible() -> None:
    approved = moderate(message(PENDING), "approve")
    assert approved.status is VISIBLE
    assert approved == replace(message(PENDING), status=VISIBLE)  # nothing else changed


@pytest.mark.parametrize("status", [VISIBLE, HIDDEN])
def test_only_a_pending_message_can_be_approved(status: MessageStatus) -> None:
    with pytest.raises(Conflict, match="waiting for approval"):
        moderate(message(status), "approve")


@pytest.mark.parametrize("status", [VISIBLE, PENDING])
def test_hide_takes_any_shown_or_waiting_message_out(status: MessageStatus) -> None:
    assert moderate(message(status), "hide").status is HIDDEN


def test_hiding_twice_is_refused() -> None:
    with pytest.raises(Conflict, match="already hidden"):
        moderate(message(HIDDEN), "hide")


def test_unhide_shows_a_hidden_message_again() -> None:
    assert moderate(message(HIDDEN), "unhide").status is VISIBLE


@pytest.mark.parametrize("status", [VISIBLE, PENDING])
def test_unhide_needs_a_hidden_message(status: MessageStatus) -> None:
    with pytest.raises(Conflict, match="not hidden"):
        moderate(message(status), "unhide")


def test_answer_and_unanswer_a_question() -> None:
    answered = moderate(message(question=True), "answer")
    assert answered.answered is True and answered.status is VISIBLE
    assert moderate(answered, "unanswer").answered is False


@pytest.mark.parametrize("action", ["answer", "unanswer"])
def test_only_questions_can_be_marked_answered(action: str) -> None:
    with pytest.raises(Conflict, match="Only questions"):
        moderate(message(), action)


@pytest.mark.parametrize("action", ["delete", "", "APPROVE", "spotlightx"])
def test_an_unknown_action_is_invalid_input(action: str) -> None:
    with pytest.raises(InvalidInput, match="approve, hide, unhide"):
        moderate(message(PENDING), action)


# -- blocked words ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "blocked"), [
    ("this is shit", True),
    ("This is SHIT!", True),  # any case, punctuation around it
    ("shit.", True),
    ("a shitake mushroom", False),  # not inside another word
    ("bullshit", False),
    ("the idea is a dead end", True),  # a phrase, as whole words
    ("the idea is a DEAD   END", True),  # any case, any spacing
    ("a dead endpoint", False),
    ("dead, end", True),  # punctuation between the words of a phrase does not hide it
    ("the end is dead", False),  # words of the phrase in another order
    ("", False),
])
def test_contains_blocked_matches_whole_words_and_phrases(text: str, blocked: bool) -> None:
    assert contains_blocked(text, ("shit", "dead end")) is blocked


def test_contains_blocked_casefolds_german_words() -> None:
    words = clean_blocked_words(["Scheiße"])
    assert contains_blocked("So eine SCHEISSE", words)
    assert contains_blocked("so eine scheiße", words)


def test_blocked_words_that_are_only_punctuation_match_nothing() -> None:
    assert not contains_blocked("!!! ??? ...", ("!!!", "..."))


def test_clean_blocked_words_casefolds_trims_and_drops_duplicates() -> None:
    assert clean_blocked_words(["  Dead   End ", "dead end", "SHIT", "", "shit"]) == (
        "dead end", "shit")
    assert clean_blocked_words("Foo, bar\nBAZ,,") == ("foo", "bar", "baz")
    assert clean_blocked_words(None) == ()


@pytest.mark.parametrize("raw", [42, {"word": 1}, ["fine", 3]])
def test_clean_blocked_words_refuses_anything_but_words(raw: object) -> None:
    with pytest.raises(InvalidInput, match="list of words"):
        clean_blocked_words(raw)


def test_clean_blocked_words_limits() -> None:
    assert clean_blocked_words(["x" * BLOCKED_WORD_MAX]) == ("x" * BLOCKED_WORD_MAX,)
    with pytest.raises(InvalidInput, match=f"at most {BLOCKED_WORD_MAX} characters"):
        clean_blocked_words(["x" * (BLOCKED_WORD_MAX + 1)])
    many = [f"word{i}" for i in range(BLOCKED_WORDS_MAX)]
    assert len(clean_blocked_words(many)) == BLOCKED_WORDS_MAX
    with pytest.raises(InvalidInput, match=f"At most {BLOCKED_WORDS_MAX} blocked words"):
        clean_blocked_words([*many, "one-more"])


def test_default_lists_are_valid_blocked_word_lists() -> None:
    for words in DEFAULT_BLOCKED_WORDS.values():
        cleaned = clean_blocked_words(list(words))
        assert set(cleaned) == {w.casefold() for w in words}  # "scheiße" is "scheisse"
        for word in cleaned:
            assert contains_blocked(f"well {word.upper()} then", cleaned), word


def test_initial_status() -> None:
    assert initial_status(ChatSettings(), "Good idea") is VISIBLE
    assert initial_status(ChatSettings(premoderation=True), "Good idea") is PENDING
    blocked = ChatSettings(blocked_words=("dead end",))
    assert initial_status(blocked, "This is a Dead End") is PENDING
    assert initial_status(blocked, "No dead ends here") is VISIBLE


# -- who may post -----------------------------------------------------------------------


def test_check_can_post_lets_a_participant_post_while_the_chat_is_open() -> None:
    check_can_post(ON, banned=False, recent_posts=0)
    check_can_post(FACILITATOR_ONLY, banned=False, recent_posts=POSTS_PER_MINUTE - 1)


def test_check_can_post_refuses_while_the_chat_is_off() -> None:
    with pytest.raises(Conflict, match="The chat is off"):
        check_can_post(ChatSettings(mode=ChatMode.OFF), banned=False, recent_posts=0)


def test_check_can_post_refuses_a_banned_participant() -> None:
    with pytest.raises(Conflict, match="stopped you from posting"):
        check_can_post(ON, banned=True, recent_posts=0)


def test_check_can_post_limits_posts_a_minute() -> None:
    check_can_post(ON, banned=False, recent_posts=POSTS_PER_MINUTE - 1)
    for recent in (POSTS_PER_MINUTE, POSTS_PER_MINUTE + 5):
        with pytest.raises(Conflict, match=f"at most {POSTS_PER_MINUTE} messages a minute"):
            check_can_post(ON, banned=False, recent_posts=recent)


# -- what is typed ----------------------------------------------------------------------


def test_clean_message_trims_and_keeps_line_breaks() -> None:
    assert clean_message("  Hello   there \r\n second  line \x00") == "Hello there\nsecond line"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", None])
def test_clean_message_refuses_an_empty_message(raw: object) -> None:
    with pytest.raises(InvalidInput, match="must not be empty"):
        clean_message(raw)


def test_clean_message_length_limit() -> None:
    assert clean_message("x" * MESSAGE_MAX) == "x" * MESSAGE_MAX
    with pytest.raises(InvalidInput, match=f"the limit is {MESSAGE_MAX}"):
        clean_message("x" * (MESSAGE_MAX + 1))


def test_clean_message_refuses_what_is_not_text() -> None:
    with pytest.raises(InvalidInput, match="must be text"):
        clean_message(["hello"])
