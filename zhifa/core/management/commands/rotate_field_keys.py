"""``zhifa rotate_field_keys``: add, activate and retire the keys of personal data at rest, and
re-encrypt / re-index every row (docs/security.md, 数据保密性).

    zhifa rotate_field_keys --status            # which key encrypts how many values
    zhifa rotate_field_keys --add-key           # new SM4 key (not yet active; copy the file everywhere)
    zhifa rotate_field_keys --add-index-key     # new blind-index key (not yet active)
    zhifa rotate_field_keys --activate KEY_ID   # new values are encrypted / indexed with it
    zhifa rotate_field_keys                     # re-encrypt / re-index what is not under the active keys
    zhifa rotate_field_keys --retire KEY_ID     # drop a key no value uses any more

Re-encryption reads the raw columns in batches by primary key, one transaction per batch,
and skips values already under the active keys, so an interrupted run is simply run again.
Each row is written only if its stored values did not change since they were read (a
concurrent edit, already written with the active key, is never overwritten).
"""

import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from zhifa.core import crypto
from zhifa.core.audit import log_security_event

COMMAND = "rotate_field_keys"


def _audit(note: str) -> None:
    """A security event (字段密钥轮换) in the audit trail: which keys changed or how many rows were
    re-encrypted — key ids only, never key material (等保 三级 安全审计)."""
    log_security_event("key_rotation", username=COMMAND, result="成功", note=note)


def _columns(model):
    """(field, index field or None) pairs of a model with encrypted fields (a secret such as a
    signing key is encrypted but never looked up, so it has no blind index)."""
    return [(f, _index_or_none(model, f.name)) for f in crypto.encrypted_fields(model)]


def _index_or_none(model, field_name):
    try:
        return crypto.blind_index_field(model, field_name)
    except LookupError:
        return None


def _present(columns, pairs) -> list:
    """The flat values of (value, index) ``pairs`` for the columns that exist (no index: value only)."""
    return [v for n, (_field, index) in enumerate(columns)
            for v in ((pairs[2 * n], pairs[2 * n + 1]) if index is not None else (pairs[2 * n],))]


def _scan(model, database, batch_size):
    """Yield batches of raw rows (pk, value, index, value, index, …) in primary-key order."""
    connection = connections[database]
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    select = ", ".join(f"{qn(f.column)}, {qn(i.column) if i is not None else 'NULL'}" for f, i in _columns(model))
    last = None
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {select} FROM {table} {where}ORDER BY {pk} LIMIT {int(batch_size)}",
                [last] if last is not None else [],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def key_usage(database="default", batch_size=5000) -> dict:
    """{"model.field": Counter(key id -> values)} for values and for blind indexes."""
    usage = {}
    for model in crypto.encrypted_models():
        columns = _columns(model)
        for rows in _scan(model, database, batch_size):
            for row in rows:
                for n, (field, _index) in enumerate(columns):
                    stored, indexed = row[1 + 2 * n], row[2 + 2 * n]
                    if stored:
                        kid = crypto.key_id_of(stored) or "（未加密）"
                        usage.setdefault(field.crypto_context, Counter())[kid] += 1
                    if indexed:
                        usage.setdefault(f"{field.crypto_context} 索引", Counter())[indexed.split("$", 1)[0]] += 1
    return usage


def rotate(database="default", batch_size=1000, stdout=None) -> dict:
    """Re-encrypt values not under the active SM4 key and re-compute blind indexes not under
    the active index key. Returns {"model": rows rewritten}."""
    ring = crypto.keyring()
    connection = connections[database]
    qn = connection.ops.quote_name
    done = {}
    for model in crypto.encrypted_models():
        columns = _columns(model)
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        sets = ", ".join(f"{qn(f.column)} = %s" + (f", {qn(i.column)} = %s" if i is not None else "")
                         for f, i in columns)
        guard = " AND ".join(f"{qn(f.column)} = %s" + (f" AND {qn(i.column)} = %s" if i is not None else "")
                             for f, i in columns)
        rewritten = 0
        for rows in _scan(model, database, batch_size):
            updates = []
            for row in rows:
                old, new, changed = list(row[1:]), [], False
                for n, (field, index) in enumerate(columns):
                    stored, indexed = old[2 * n], old[2 * n + 1]
                    if not stored:
                        new += [stored, "" if index is not None else None]
                        changed |= bool(indexed)
                        continue
                    plain = crypto.decrypt(stored, field.crypto_context, ring=ring) if crypto.is_encrypted(stored) \
                        else stored
                    value = stored
                    if crypto.key_id_of(stored) != ring.active:
                        value = crypto.encrypt(plain, field.crypto_context, ring=ring)
                    wanted = crypto.blind_index(plain, index.normalizer, ring=ring) if index is not None else None
                    new += [value, wanted]
                    changed |= value != stored or wanted != indexed
                if changed:
                    updates.append([*_present(columns, new), row[0], *_present(columns, old)])
            if updates:
                with transaction.atomic(using=database), connection.cursor() as cursor:
                    for params in updates:
                        cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s AND {guard}", params)
                        rewritten += cursor.rowcount
            if stdout is not None and updates:
                stdout.write(f"  {model._meta.label}: 已重写 {rewritten} 行（至编号 {rows[-1][0]}）")
        done[model._meta.label] = rewritten
    return done


class Command(BaseCommand):
    help = "字段加密密钥轮换：新增/启用/停用密钥，用当前密钥重新加密证件号码和电话号码并重建盲索引。"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--status", action="store_true", help="只统计各密钥加密的值的数量。")
        group.add_argument("--add-key", action="store_true", help="新增一个 SM4 加密密钥（暂不启用）。")
        group.add_argument("--add-index-key", action="store_true", help="新增一个盲索引密钥（暂不启用）。")
        group.add_argument("--activate", metavar="KEY_ID", help="启用一个密钥：此后新写入的值用它加密或建索引。")
        group.add_argument("--retire", metavar="KEY_ID", help="删除一个已不再使用的密钥（加密密钥或索引密钥）。")
        parser.add_argument("--batch-size", type=int, default=1000, help="每批（每个事务）处理的行数，默认1000。")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            ring = crypto.keyring()
        except crypto.FieldKeyError as exc:
            raise CommandError(str(exc)) from None
        if options["add_key"] or options["add_index_key"] or options["activate"] or options["retire"]:
            return self.edit_keys(ring, options)
        if options["status"]:
            return self.status(ring, options["database"])
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 必须大于0。")
        self.stdout.write(f"当前加密密钥 {ring.active}，当前索引密钥 {ring.active_index}。")
        try:
            done = rotate(options["database"], options["batch_size"], self.stdout)
        except crypto.FieldKeyError as exc:
            raise CommandError(str(exc)) from None
        for label, count in done.items():
            self.stdout.write(f"{label}: 重写 {count} 行。")
        rewritten = "，".join(f"{label} {count} 行" for label, count in done.items() if count) or "无需重写"
        _audit(f"按当前加密密钥 {ring.active}、索引密钥 {ring.active_index} 重新加密：{rewritten}")
        self.stdout.write(self.style.SUCCESS("完成：所有值均已使用当前密钥。"))

    def status(self, ring, database):
        self.stdout.write(f"密钥来源：{ring.source}")
        self.stdout.write(f"加密密钥：{', '.join(ring.keys)}（当前 {ring.active}）")
        self.stdout.write(f"索引密钥：{', '.join(ring.index_keys)}（当前 {ring.active_index}）")
        for column, counts in key_usage(database).items():
            detail = "，".join(f"{kid}: {n}" for kid, n in sorted(counts.items()))
            self.stdout.write(f"{column}：{detail}")

    def edit_keys(self, ring, options):
        if settings.FIELD_KEYS:
            raise CommandError(
                "密钥来自环境变量 ZHIFA_FIELD_KEYS，本命令不能修改；请在密钥管理处修改该变量（见 docs/security.md）。"
            )
        path = Path(settings.FIELD_KEY_FILE)
        data = json.loads(ring.as_json())
        reload = "请把密钥文件同步到所有应用服务器并重启应用进程"
        if options["add_key"] or options["add_index_key"]:
            section = "keys" if options["add_key"] else "index_keys"
            new = self.new_id(data)
            data[section][new] = crypto.Keyring.generate()[section].popitem()[1]
            what = "加密密钥" if options["add_key"] else "索引密钥"
            message = f"已新增{what} {new}（尚未启用）。{reload}，然后运行 zhifa rotate_field_keys --activate {new}。"
        elif options["activate"]:
            kid = options["activate"]
            if kid in data["keys"]:
                data["active"] = kid
            elif kid in data["index_keys"]:
                data["active_index"] = kid
            else:
                raise CommandError(f"密钥文件中没有密钥 {kid}。")
            message = f"已启用密钥 {kid}。{reload}，然后运行 zhifa rotate_field_keys 重新加密已有数据。"
        else:
            kid = options["retire"]
            section = "keys" if kid in data["keys"] else "index_keys" if kid in data["index_keys"] else None
            if section is None:
                raise CommandError(f"密钥文件中没有密钥 {kid}。")
            if kid in (data["active"], data["active_index"]):
                raise CommandError(f"{kid} 是当前密钥，不能删除；请先新增并启用新密钥，再运行轮换。")
            users = {column: counts[kid] for column, counts in key_usage(options["database"]).items() if counts[kid]}
            if users:
                detail = "，".join(f"{column} {n} 个值" for column, n in users.items())
                raise CommandError(f"密钥 {kid} 仍在使用（{detail}）；请先运行 zhifa rotate_field_keys。")
            del data[section][kid]
            message = f"已删除密钥 {kid}。请同时销毁其备份。"
        text = json.dumps(data, indent=2)
        crypto.Keyring.parse(text, str(path))  # never write a file that would not load
        crypto.write_key_file(path, text, replace=True)
        crypto.reset_keyring()
        _audit(message.split("。", 1)[0])
        self.stdout.write(self.style.SUCCESS(message))

    @staticmethod
    def new_id(data):
        while True:
            kid = crypto.new_key_id()
            if kid not in data["keys"] and kid not in data["index_keys"]:
                return kid
