"""The call log's database: the engine, whole transactions retried as one, migrations, backups.

Every write is one method that runs one whole transaction (`@transaction`): when the database is briefly
unavailable (a locked SQLite file, a PostgreSQL server that restarted) the method runs again from the
start, and when it stays unavailable the user gets a StoreError that says what to do.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_incrementing,
)

from ..errors import MissingExtra, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision: a log already at it opens without importing Alembic (0.08 s of every
# start). tests/calllog/test_store.py checks that it is Alembic's own head, so a new migration moves it.
HEAD = "0005"
BUSY_TIMEOUT = 15.0  # seconds SQLite waits for another writer's lock before it says "locked"
ATTEMPTS = 5

P = ParamSpec("P")
T = TypeVar("T")
D = TypeVar("D", bound="Database")


@functools.cache
def head_revision(migrations: Path = MIGRATIONS) -> str:
    """The newest migration's revision, as Alembic itself reads the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(migrations)).get_current_head()
    if head is None:
        raise StoreError(f"no migrations in {migrations}")
    return head


def utc_now() -> datetime:
    return datetime.now(UTC)


def _transient(exc: BaseException) -> bool:
    """A failure that running the same transaction again can cure."""
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated  # the server restarted: reconnect


def transaction(
    method: Callable[Concatenate[D, P], T],
) -> Callable[Concatenate[D, P], T]:
    """Mark a store method that runs one whole transaction: it is run again while the database is
    briefly unavailable, for at most BUSY_TIMEOUT in all (SQLite's own wait counts), then a StoreError."""

    @functools.wraps(method)
    def run(db: D, /, *args: P.args, **kwargs: P.kwargs) -> T:
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(ATTEMPTS) | stop_after_delay(BUSY_TIMEOUT),
            wait=wait_incrementing(start=0.2, increment=0.2),
            reraise=True,
        )
        try:
            return retrying(method, db, *args, **kwargs)
        except OperationalError as exc:
            if "locked" in str(exc.orig).lower():
                raise StoreError(
                    f"the call log at {safe_url(db.url)} is locked by another program (another callbot, "
                    "a backup or a database browser): close it, or wait for it to finish, and try again"
                ) from None
            raise StoreError(f"the call log at {safe_url(db.url)} cannot be written: {exc.orig}") from None
        except DBAPIError as exc:
            raise StoreError(f"the call log at {safe_url(db.url)} failed: {exc.orig}") from None

    return run


class Database:
    """One SQL database holding the call log; `Database(url)` connects and brings the schema up to date."""

    def __init__(self, url: str, *, migrate: bool = True, clock: Callable[[], datetime] = utc_now):
        self.url = url
        self.now = clock  # every timestamp the log writes comes from here (tests and replays fix it)
        self.engine = _engine(url)
        if migrate:
            self.upgrade()

    def upgrade(self) -> None:
        """Apply pending migrations, in order (safe to call from several processes)."""
        if self._current():
            return  # the usual start: nothing to do
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        for attempt in range(ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    if self.engine.dialect.name == "postgresql":
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7140511)")
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                return
            except (OperationalError, IntegrityError) as exc:
                # Another process migrating the same SQLite file at the same moment: wait and look again.
                if attempt == ATTEMPTS - 1:
                    raise StoreError(
                        f"cannot prepare the call log at {safe_url(self.url)}: {exc.orig}"
                    ) from None
                time.sleep(0.3 * (attempt + 1))
            except SQLAlchemyError as exc:
                raise StoreError(f"cannot open the call log at {safe_url(self.url)}: {exc}") from None

    def _current(self) -> bool:
        """Whether the log is already at the newest migration."""
        try:
            with self.engine.connect() as conn:
                found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except SQLAlchemyError:
            return False  # a new database (or one being created right now)
        return found == [HEAD]

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def backup(self, target: Path) -> Path:
        """A consistent copy of a SQLite call log, taken while it may be in use."""
        if self.engine.dialect.name != "sqlite":
            raise StoreError("db backup copies SQLite files; for PostgreSQL use pg_dump")
        import sqlite3

        target = Path(target).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(self.engine.url.database or "")
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return target

    def close(self) -> None:
        self.engine.dispose()


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise MissingExtra(f"the database driver for {safe_url(url)} ({exc.name})", "postgres") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"bad database URL {safe_url(url)}: {exc}") from None


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable database URL)"


def insert_ignore(conn: Connection, table: Any, values: dict[str, Any]) -> bool:
    """Insert a row unless it would break a unique key; True when inserted."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(values).on_conflict_do_nothing()
    # rowcount is not reliable for this statement on every driver; a returned key is
    return conn.execute(stmt.returning(*table.primary_key.columns)).first() is not None
