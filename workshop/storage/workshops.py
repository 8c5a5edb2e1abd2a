"""Workshops, their activities (the agenda) and participants."""

from __future__ import annotations

import json
import time

from workshop.domain.chat import Anonymity, ChatMode, ChatSettings
from workshop.domain.models import Activity, ActivityState, Option, Participant, PollKind, Workshop
from workshop.storage.base import Database, Row, Tx
from workshop.storage.steps import lock_workshop


def _workshop(row: Row) -> Workshop:
    return Workshop(
        id=row["id"], code=row["code"], title=row["title"], description=row["description"],
        slides_url=row["slides_url"], recording_url=row["recording_url"],
        owner_id=row["owner_id"], current_activity_id=row["current_activity_id"],
        created_at=row["created_at"],
        chat=ChatSettings(ChatMode(row["chat_mode"]), Anonymity(row["anonymity"]),
                          bool(row["premoderation"]), tuple(json.loads(row["blocked_words"]))),
        presenter_view=row["presenter_view"], spotlight_message_id=row["spotlight_message_id"],
    )


def _activity(row: Row) -> Activity:
    return Activity(
        id=row["id"], workshop_id=row["workshop_id"], position=row["position"],
        kind=PollKind(row["kind"]), prompt=row["prompt"],
        options=tuple(Option(o["id"], o["label"]) for o in json.loads(row["options"])),
        settings=json.loads(row["settings"]), state=ActivityState(row["state"]),
        round=row["round"], results_visible=bool(row["results_visible"]),
    )


def _participant(row: Row) -> Participant:
    return Participant(row["id"], row["workshop_id"], row["name"], row["created_at"])


def _options_json(options: tuple[Option, ...]) -> str:
    return json.dumps([{"id": o.id, "label": o.label} for o in options])


class WorkshopQueries:
    db: Database

    # -- workshops -------------------------------------------------------------------
    async def insert_workshop(self, workshop: Workshop) -> bool:
        """Insert; False when the join code is already taken (caller picks another)."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "INSERT INTO workshops (id, code, title, description, slides_url, recording_url,"
                " owner_id, current_activity_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (code) DO NOTHING",
                (workshop.id, workshop.code, workshop.title, workshop.description,
                 workshop.slides_url, workshop.recording_url, workshop.owner_id,
                 workshop.current_activity_id, workshop.created_at),
            )
        return changed == 1

    async def get_workshop(self, workshop_id: str) -> Workshop | None:
        row = await self.db.fetch_one("SELECT * FROM workshops WHERE id = ?", (workshop_id,))
        return None if row is None else _workshop(row)

    async def get_workshop_by_code(self, code: str) -> Workshop | None:
        row = await self.db.fetch_one("SELECT * FROM workshops WHERE code = ?", (code,))
        return None if row is None else _workshop(row)

    async def list_workshops(self, owner_id: str) -> list[Workshop]:
        rows = await self.db.fetch_all(
            "SELECT * FROM workshops WHERE owner_id = ? ORDER BY created_at DESC", (owner_id,)
        )
        return [_workshop(r) for r in rows]

    async def update_workshop(self, workshop: Workshop) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE workshops SET title = ?, description = ?, slides_url = ?,"
                " recording_url = ? WHERE id = ?",
                (workshop.title, workshop.description, workshop.slides_url,
                 workshop.recording_url, workshop.id),
            )

    async def update_room_settings(self, workshop: Workshop) -> None:
        """Chat settings, what the presenter shows, the spotlighted question."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE workshops SET chat_mode = ?, anonymity = ?, premoderation = ?,"
                " blocked_words = ?, presenter_view = ?, spotlight_message_id = ?"
                " WHERE id = ?",
                (workshop.chat.mode.value, workshop.chat.anonymity.value,
                 int(workshop.chat.premoderation), json.dumps(list(workshop.chat.blocked_words)),
                 workshop.presenter_view, workshop.spotlight_message_id, workshop.id),
            )

    async def delete_workshop(self, workshop_id: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM workshops WHERE id = ?", (workshop_id,))

    async def set_current_activity(self, workshop_id: str, activity_id: str | None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE workshops SET current_activity_id = ? WHERE id = ?",
                (activity_id, workshop_id),
            )

    # -- activities ------------------------------------------------------------------
    async def list_activities(self, workshop_id: str) -> list[Activity]:
        rows = await self.db.fetch_all(
            "SELECT * FROM activities WHERE workshop_id = ? ORDER BY position, created_at",
            (workshop_id,),
        )
        return [_activity(r) for r in rows]

    async def get_activity(self, activity_id: str) -> Activity | None:
        row = await self.db.fetch_one("SELECT * FROM activities WHERE id = ?", (activity_id,))
        return None if row is None else _activity(row)

    async def insert_activity(self, activity: Activity) -> Activity:
        """Append at the end of the agenda (position assigned inside the transaction)."""
        async with self.db.transaction() as tx:
            await lock_workshop(tx, activity.workshop_id)
            row = await tx.fetch_one(
                "SELECT COALESCE(MAX(position), -1) + 1 AS next FROM activities"
                " WHERE workshop_id = ?",
                (activity.workshop_id,),
            )
            position = int(row["next"]) if row else 0
            await tx.execute(
                "INSERT INTO activities (id, workshop_id, position, kind, prompt, options,"
                " settings, state, round, results_visible, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (activity.id, activity.workshop_id, position, activity.kind.value,
                 activity.prompt, _options_json(activity.options), json.dumps(activity.settings),
                 activity.state.value, activity.round, int(activity.results_visible),
                 time.time()),
            )
        return await self.get_activity(activity.id) or activity

    async def count_activities(self, workshop_id: str) -> int:
        row = await self.db.fetch_one(
            "SELECT COUNT(*) AS n FROM activities WHERE workshop_id = ?", (workshop_id,)
        )
        return int(row["n"]) if row else 0

    async def update_activity(self, activity: Activity) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE activities SET prompt = ?, options = ?, settings = ?, state = ?,"
                " round = ?, results_visible = ?, position = ? WHERE id = ?",
                (activity.prompt, _options_json(activity.options), json.dumps(activity.settings),
                 activity.state.value, activity.round, int(activity.results_visible),
                 activity.position, activity.id),
            )

    async def delete_activity(self, activity: Activity) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE workshops SET current_activity_id = NULL"
                " WHERE id = ? AND current_activity_id = ?",
                (activity.workshop_id, activity.id),
            )
            await tx.execute("DELETE FROM activities WHERE id = ?", (activity.id,))

    async def move_activity(self, activity: Activity, new_position: int) -> None:
        """Move one activity to `new_position`, renumbering the agenda densely."""
        async with self.db.transaction() as tx:
            await lock_workshop(tx, activity.workshop_id)
            rows = await tx.fetch_all(
                "SELECT id FROM activities WHERE workshop_id = ? ORDER BY position, created_at",
                (activity.workshop_id,),
            )
            ids = [r["id"] for r in rows if r["id"] != activity.id]
            ids.insert(max(0, min(new_position, len(ids))), activity.id)
            await _renumber(tx, ids)

    # -- participants ----------------------------------------------------------------
    async def join(self, participant: Participant, device_id: str) -> Participant:
        """Get or create the participant of this device in this workshop."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO participants (id, workshop_id, device_id, name, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, device_id) DO NOTHING",
                (participant.id, participant.workshop_id, device_id, participant.name,
                 participant.created_at),
            )
            if participant.name:
                await tx.execute(
                    "UPDATE participants SET name = ? WHERE workshop_id = ? AND device_id = ?",
                    (participant.name, participant.workshop_id, device_id),
                )
            row = await tx.fetch_one(
                "SELECT * FROM participants WHERE workshop_id = ? AND device_id = ?",
                (participant.workshop_id, device_id),
            )
        assert row is not None
        return _participant(row)

    async def participant_for_device(self, workshop_id: str, device_id: str) -> Participant | None:
        row = await self.db.fetch_one(
            "SELECT * FROM participants WHERE workshop_id = ? AND device_id = ?",
            (workshop_id, device_id),
        )
        return None if row is None else _participant(row)

    async def get_participant(self, participant_id: str) -> Participant | None:
        row = await self.db.fetch_one(
            "SELECT * FROM participants WHERE id = ?", (participant_id,)
        )
        return None if row is None else _participant(row)

    async def count_participants(self, workshop_id: str) -> int:
        row = await self.db.fetch_one(
            "SELECT COUNT(*) AS n FROM participants WHERE workshop_id = ?", (workshop_id,)
        )
        return int(row["n"]) if row else 0




async def _renumber(tx: Tx, ids: list[str]) -> None:
    for position, activity_id in enumerate(ids):
        await tx.execute("UPDATE activities SET position = ? WHERE id = ?", (position, activity_id))
