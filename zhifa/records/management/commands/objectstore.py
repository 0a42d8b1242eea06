"""`zhifa objectstore [--create-bucket] [--check]`: which store holds the stored files, create
the S3 bucket once at installation, and prove that this process can write, read and delete."""

import hashlib
import io
import os
import uuid

from django.core.files.base import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from zhifa.records import storage as object_storage


class Command(BaseCommand):
    help = "显示存储文件所在的存储（本地磁盘或 S3 对象存储），创建存储桶，并做一次读写校验。"

    def add_arguments(self, parser):
        parser.add_argument("--create-bucket", action="store_true", help="S3：存储桶不存在时创建（安装时执行一次）")
        parser.add_argument("--check", action="store_true", help="写入、读回、删除一个探测对象（6 MiB，S3 为分段上传）")

    def handle(self, *args, **options):
        store = storages["default"]
        self.stdout.write(object_storage.describe(store))
        if options["create_bucket"]:
            if not isinstance(store, object_storage.S3ObjectStorage):
                raise CommandError("未配置 S3 对象存储（ZHIFA_S3_BUCKET），无需创建存储桶。")
            created = store.ensure_bucket()
            self.stdout.write(f"存储桶 {store.bucket_name} 已创建。" if created else f"存储桶 {store.bucket_name} 已存在。")
        if options["check"]:
            data = os.urandom(6 * 1024 * 1024)
            name = f"probe/{uuid.uuid4().hex}"
            try:
                saved = store.save(name, File(io.BytesIO(data), name="probe"))
                hasher = hashlib.new("sm3")
                size = object_storage.hash_object(saved, hasher, store)
                if size != len(data) or hasher.hexdigest() != hashlib.new("sm3", data).hexdigest():
                    raise CommandError("读回的探测对象与写入的不一致。")
            except CommandError:
                raise
            except Exception as exc:  # any failure of the store is the answer an operator needs
                raise CommandError(f"对象存储读写失败：{exc}") from exc
            finally:
                try:
                    store.delete(name)
                except Exception:  # noqa: BLE001 - the probe may not exist
                    pass
            self.stdout.write("读写校验通过：写入、读回（SM3 一致）并删除了一个 6 MiB 的探测对象。")
