"""The contacts tables: people, their numbers, aliases and relations to the rep (learned aliases and
relations taught by voice survive a re-import)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update

from ..models import Contact, PhoneNumber
from .database import Database, transaction
from .schema import contact_aliases, contact_numbers, contact_relations, contacts


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0


class ContactRows(Database):
    """Contacts as the book and the importers see them."""

    def contacts(self) -> list[Contact]:
        with self.engine.connect() as conn:
            numbers: dict[int, list[PhoneNumber]] = {}
            for row in conn.execute(select(contact_numbers).order_by(contact_numbers.c.position)):
                numbers.setdefault(row.contact_id, []).append(PhoneNumber(row.e164, row.label, row.preferred))
            aliases: dict[int, list[str]] = {}
            learned: dict[int, list[str]] = {}
            for row in conn.execute(select(contact_aliases).order_by(contact_aliases.c.id)):
                (learned if row.learned else aliases).setdefault(row.contact_id, []).append(row.alias)
            relations: dict[int, list[str]] = {}
            for row in conn.execute(select(contact_relations).order_by(contact_relations.c.id)):
                relations.setdefault(row.contact_id, []).append(row.relation)
            return [
                Contact(
                    name=row.name,
                    numbers=tuple(numbers.get(row.id, ())),
                    company=row.company,
                    aliases=tuple(aliases.get(row.id, ())),
                    learned=tuple(learned.get(row.id, ())),
                    timezone=row.timezone,
                    do_not_call=row.do_not_call,
                    id=row.id,
                    source_key=row.source_key,
                    city=row.city,
                    relations=tuple(relations.get(row.id, ())),
                )
                for row in conn.execute(select(contacts).order_by(contacts.c.name, contacts.c.id))
            ]

    def contacts_version(self) -> tuple[int, int, datetime | None]:
        """Changes whenever contacts, aliases or relations change: the speech grammar is rebuilt then."""
        with self.engine.connect() as conn:
            n, newest = conn.execute(select(func.count(), func.max(contacts.c.updated_at))).one()
            aliases = conn.execute(select(func.count()).select_from(contact_aliases)).scalar_one()
            relations = conn.execute(select(func.count()).select_from(contact_relations)).scalar_one()
            if newest is not None and newest.tzinfo is None:
                newest = newest.replace(tzinfo=UTC)
            return n, aliases + relations, newest

    @transaction
    def import_contacts(self, new: Iterable[Contact], source: str) -> ImportResult:
        """Add or update contacts by their source key (re-importing a file changes nothing twice); one without
        a key (made in code, not read from a file) is keyed by its name and company."""
        batch: dict[str, Contact] = {}
        for c in new:
            key = c.source_key or f"{source}:{' '.join(c.name.lower().split())}|{c.company.lower().strip()}"
            batch[key] = replace(c, source_key=key)
        if not batch:
            return ImportResult()
        stamp = self.now()
        with self.engine.begin() as conn:
            existing = (
                {
                    key: cid
                    for key, cid in conn.execute(
                        select(contacts.c.source_key, contacts.c.id).where(
                            contacts.c.source_key.in_(list(batch))
                        )
                    )
                }
                if len(batch) < 30_000
                else {key: cid for key, cid in conn.execute(select(contacts.c.source_key, contacts.c.id))}
            )
            fresh = [c for key, c in batch.items() if key not in existing]
            ids = dict(existing)
            if fresh:
                rows = conn.execute(
                    contacts.insert().returning(
                        contacts.c.id, contacts.c.source_key, sort_by_parameter_order=True
                    ),
                    [_contact_row(c, source, stamp) | {"created_at": stamp} for c in fresh],
                )
                ids.update({key: cid for cid, key in rows})
            for key, cid in existing.items():
                conn.execute(
                    update(contacts)
                    .where(contacts.c.id == cid)
                    .values(_contact_row(batch[key], source, stamp))
                )
            if existing:
                conn.execute(
                    delete(contact_numbers).where(contact_numbers.c.contact_id.in_(list(existing.values())))
                )
                conn.execute(
                    delete(contact_aliases).where(
                        and_(
                            contact_aliases.c.contact_id.in_(list(existing.values())),
                            ~contact_aliases.c.learned,
                        )
                    )
                )
            number_rows = [
                {
                    "contact_id": ids[key],
                    "label": n.label,
                    "e164": n.e164,
                    "preferred": n.preferred,
                    "position": i,
                }
                for key, c in batch.items()
                for i, n in enumerate(c.numbers)
            ]
            if number_rows:
                conn.execute(contact_numbers.insert(), number_rows)
            learned_now = (
                {
                    (cid, alias)
                    for cid, alias in conn.execute(
                        select(contact_aliases.c.contact_id, contact_aliases.c.alias)
                    )
                }
                if existing
                else set()
            )
            alias_rows = [
                {"contact_id": ids[key], "alias": a, "learned": False, "created_at": stamp}
                for key, c in batch.items()
                for a in dict.fromkeys(c.aliases)
                if (ids[key], a) not in learned_now
            ]
            if alias_rows:
                conn.execute(contact_aliases.insert(), alias_rows)
            self._import_relations(conn, {ids[key]: c.relations for key, c in batch.items()}, stamp)
        return ImportResult(added=len(fresh), updated=len(existing))

    def _import_relations(self, conn: Any, given: dict[int, tuple[str, ...]], stamp: datetime) -> None:
        """A file's relations replace its earlier ones; one taught by voice stays, and outranks the file's."""
        conn.execute(
            delete(contact_relations).where(
                and_(contact_relations.c.contact_id.in_(list(given)), ~contact_relations.c.taught)
            )
        )
        taught = set(
            conn.execute(select(contact_relations.c.relation).where(contact_relations.c.taught)).scalars()
        )
        rows = [
            {"contact_id": cid, "relation": r, "taught": False, "created_at": stamp}
            for cid, relations in given.items()
            for r in dict.fromkeys(relations)
            if r not in taught  # "my boss is Omar", said, outranks a file that says Priya
        ]
        if rows:
            conn.execute(contact_relations.insert(), rows)

    @transaction
    def set_relation(self, contact_id: int, relation: str) -> None:
        """The rep said who this is to them ("my boss is Priya Shah"): theirs alone from now on."""
        with self.engine.begin() as conn:
            conn.execute(delete(contact_relations).where(contact_relations.c.relation == relation))
            conn.execute(
                contact_relations.insert().values(
                    contact_id=contact_id, relation=relation, taught=True, created_at=self.now()
                )
            )
            conn.execute(update(contacts).where(contacts.c.id == contact_id).values(updated_at=self.now()))

    @transaction
    def learn_alias(self, contact_id: int, alias: str) -> None:
        """Remember that `alias` means this contact (the user corrected a pick); it wins next time."""
        alias = alias.strip()
        if not alias:
            return
        with self.engine.begin() as conn:
            conn.execute(
                delete(contact_aliases).where(
                    and_(contact_aliases.c.alias == alias, contact_aliases.c.learned)
                )
            )
            conn.execute(
                delete(contact_aliases).where(
                    and_(contact_aliases.c.contact_id == contact_id, contact_aliases.c.alias == alias)
                )
            )
            conn.execute(
                contact_aliases.insert().values(
                    contact_id=contact_id, alias=alias, learned=True, created_at=self.now()
                )
            )
            conn.execute(update(contacts).where(contacts.c.id == contact_id).values(updated_at=self.now()))

    @transaction
    def set_do_not_call(self, contact_id: int, flag: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(contacts)
                .where(contacts.c.id == contact_id)
                .values(do_not_call=flag, updated_at=self.now())
            )

    def contact_for_number(self, e164: str) -> Contact | None:
        with self.engine.connect() as conn:
            cid = conn.execute(
                select(contact_numbers.c.contact_id).where(contact_numbers.c.e164 == e164).limit(1)
            ).scalar()
        if cid is None:
            return None
        return next((c for c in self.contacts() if c.id == cid), None)


def _contact_row(c: Contact, source: str, stamp: datetime) -> dict[str, Any]:
    return {
        "name": c.name,
        "company": c.company,
        "timezone": c.timezone,
        "do_not_call": c.do_not_call,
        "source": source,
        "source_key": c.source_key,
        "updated_at": stamp,
        "city": c.city,
    }
