"""PostgreSQL databases a script creates for itself and drops again (prod_check, benches).

A script never drops a database it did not create:
- by default it creates a database of a unique name, `<prefix>_<pid>_<random>`;
- a name chosen by the operator (`--db NAME`) must not exist yet, unless the same name is
  also given to `--drop-existing NAME` (then it is dropped and re-created);
- `--reuse NAME` works in an existing database and never drops it;
- what the script created is dropped when it ends, whatever happens, unless `--keep`.
"""

import os
import secrets

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"


def add_arguments(parser, prefix: str) -> None:
    parser.add_argument("--db", help=f"新建的数据库名（默认 {prefix}_<pid>_<随机>）")
    parser.add_argument("--reuse", metavar="NAME", help="使用已有的数据库（不会删除）")
    parser.add_argument(
        "--drop-existing", metavar="NAME", help="允许删除并重建已存在的同名数据库（须与 --db 相同）"
    )
    parser.add_argument("--keep", action="store_true", help="结束时保留本次新建的数据库")


class ScratchDatabase:
    """`with ScratchDatabase(...) as db:` → db.url; created on entry, dropped on exit."""

    def __init__(self, prefix, *, server=PG_SERVER, name=None, reuse=None, drop_existing=None,
                 keep=False):  # fmt: skip
        if reuse and name:
            raise SystemExit("--reuse 与 --db 只能选一个")
        self.server, self.keep = server.rstrip("/"), keep
        self.name = reuse or name or unique_name(prefix)
        self.reuse, self.drop_existing, self.created = bool(reuse), drop_existing, False

    @classmethod
    def from_args(cls, args, prefix, **kwargs):
        return cls(prefix, name=args.db, reuse=args.reuse, drop_existing=args.drop_existing,
                   keep=args.keep, **kwargs)  # fmt: skip

    @property
    def url(self) -> str:
        return f"{self.server}/{self.name}"

    def _admin(self, sql, params=None):
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            return conn.execute(sql, params).fetchall() if params else conn.execute(sql)

    def exists(self) -> bool:
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]))

    def __enter__(self):
        if self.reuse:
            if not self.exists():
                raise SystemExit(f"数据库 {self.name} 不存在，不能 --reuse")
            return self
        if self.exists():
            if self.drop_existing != self.name:
                raise SystemExit(
                    f"数据库 {self.name} 已存在，本脚本不会删除不是它创建的数据库；"
                    f"确认要删除重建请加 --drop-existing {self.name}"
                )
            self._admin(f'DROP DATABASE "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.created = True
        return self

    def drop(self):
        if self.created and not self.keep:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False

    def __exit__(self, *exc):
        if self.created and self.keep:
            print(f"保留数据库 {self.name}（下次可用 --reuse {self.name}）", flush=True)
        self.drop()
        return False


def create_database(url: str, drop_existing: str | None = None) -> None:
    """Create the database a URL names, for a script that keeps it (for --reuse): an existing
    one is dropped first only when the operator named it in `--drop-existing`."""
    server, name = url.rsplit("/", 1)
    ScratchDatabase("", server=server, name=name, drop_existing=drop_existing).__enter__()
