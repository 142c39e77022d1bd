"""Test 9: Chat Messaging - real-time chat between the session's participants."""

from __future__ import annotations

import pytest

from fixtures.evidence import measure, step
from fixtures.expect import expect_that, expect_visible
from fixtures.participant import Participant, participant
from fixtures.probes.page_clock import seconds_between
from fixtures.room_setup import both_in_room
from fixtures.severity import COSMETIC, PART_BROKEN

pytestmark = [
    pytest.mark.critical,
    pytest.mark.synthetic,
    pytest.mark.runbook("T9"),
    pytest.mark.xdist_group("room"),
]

FROM_USER_1 = "Test message from User 1"
FROM_USER_2 = "Test message from User 2"
SPECIAL = "Testing @user #hashtag emoji 🎉"


def test_chat_messaging(cast, runbook_record, kulti_data, target, app):
    host_page, guest_page = both_in_room(cast, kulti_data)
    user1 = participant("user 1", "host", host_page, kulti_data.profile_for_phone(cast.people["host"].phone), app,
                        runbook_record)
    user2 = participant("user 2", "guest", guest_page, kulti_data.profile_for_phone(cast.people["guest"].phone), app,
                        runbook_record)
    tag = f" [{target.run_id}]"  # tells this run's messages from any left in the session
    sent = [FROM_USER_1 + tag + "/1", FROM_USER_2 + tag + "/2", SPECIAL + tag + "/3"]

    with step("1. User 1 - Locate chat panel"):
        user1.clock.watch_load("chat ready", user1.room.find("chat_ready"))
        host_page.reload()  # user 1 (re)enters the room: the chat's load is timed from the start
        expect_visible(user1.room.chat_panel, "Chat visible")
        expect_that(user1.room.chat_panel_on_right(), "Chat visible on right side", "chat panel is not on the right",
                    impact=COSMETIC)
        measure("t9.chat_load", user1.clock.load_seconds("chat ready", "Chat ready to send", "the chat usable"),
                "Chat load (room page opened to chat usable)")

    with step("2-4. User 1 sends a message; User 2 observes it"):
        _exchange(user1, user2, sent[0])

    with step("5-6. User 2 replies; User 1 observes the reply"):
        _exchange(user2, user1, sent[1])

    with step("7. User 1 - Send special characters"):
        _exchange(user1, user2, sent[2], "Special characters display correctly; emojis render; no encoding issues")

    with step("Message order correct"):
        for user in (user1, user2):
            texts = [m["text"] for m in user.room.chat_messages() if tag in m["text"]]
            expect_that(texts == sent, f"Message order correct ({user.username}'s page)", texts, impact=PART_BROKEN)

    with step("Database verification: messages stored"):
        # The runbook's query reads newest first: read back oldest first, every row is one message
        # sent, once, in the order sent, by its sender (a duplicate or a reordered row fails).
        stored = [m for m in reversed(kulti_data.messages_of(cast.session["id"])) if tag in m["text"]]
        senders = {user1.profile["id"]: user1.who, user2.profile["id"]: user2.who}
        as_stored = [(m["text"].rsplit("/", 1)[-1], senders.get(m["user_id"], "someone else")) for m in stored]
        wanted = [("1", user1.who), ("2", user2.who), ("3", user1.who)]
        expect_that([(m["text"], m["user_id"]) for m in stored]
                    == [(sent[0], user1.profile["id"]), (sent[1], user2.profile["id"]), (sent[2], user1.profile["id"])],
                    f"Multiple messages from both users stored in {app.schema.messages}: each once, in the order sent",
                    f"message/sender oldest first {as_stored or 'none stored'}, sent {wanted}")


def _exchange(sender: Participant, receiver: Participant, text: str, intact: str = "Message text correct") -> None:
    """Send from one page, see it on both, measured with each page's own clock."""
    nonce = text.rsplit(" ", 1)[1]  # ASCII: found even when the rest of the text arrives mangled
    sender.clock.watch("sent", sender.room.find("chat_message").with_text(nonce))
    receiver.clock.watch("received", receiver.room.find("chat_message").with_text(nonce))
    sender.clock.watch_click("send", sender.room.find("chat_send"))
    sender.room.send_chat(text)
    clicked = sender.clock.clicked_at("send")
    shown = sender.clock.seen_at("sent", "Message appears in chat immediately", impact=PART_BROKEN)
    arrived = receiver.clock.seen_at("received", "Message appears for the other participant")
    if shown is not None:
        measure("t9.message_send", seconds_between(clicked, sender.clock, shown, sender.clock, "the message shown"),
                "Message send")
    measure("t9.message_receive", seconds_between(clicked, sender.clock, arrived, receiver.clock,
                                                   "the message on the receiver's page"), "Message receive")
    author = sender.profile
    for user, where in ((sender, "sender"), (receiver, "receiver")):
        message = next((m for m in user.room.chat_messages() if nonce in m["text"]), None)
        if message is None:
            continue  # the sender's own copy never showed: noted above
        expect_that(message["text"] == text, f"{intact} on the {where}'s page", repr(message["text"]), impact=PART_BROKEN)
        # The runbook's app names the sender's username too; an app that shows only the display name
        # (sender_username None) is judged on that.
        expect_that(message["sender"] == author["display_name"]
                    and message["sender_username"] in (author["username"], None),
                    f"Sender identified as {author['display_name']} on the {where}'s page", message["sender"],
                    impact=PART_BROKEN)
        zone = user.room.time_zone()
        problem = user.room.current_time_problem(message, zone)
        expect_that(problem is None, f"Timestamp shows current time on the {where}'s page ({zone})", problem,
                    impact=COSMETIC)
