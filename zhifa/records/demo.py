"""Demo data of the record (执法全过程记录): last night's integrity check, as a deployment has
one every morning — it verified every chain of the demo and signed checkpoint 1, so
/audit/checkpoints/ and the public /public/checkpoints/ show a signed root. Runs last."""


def load(ctx) -> None:
    from . import integrity

    ctx.integrity_check = integrity.run(
        integrity.IntegrityCheck.objects.create(trigger=integrity.IntegrityCheck.SCHEDULE), sign=True)
