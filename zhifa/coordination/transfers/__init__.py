"""Case transfer between enforcement agencies (案件移送), jurisdiction disputes (管辖争议, 指定管辖)
and 纪检监察 clue referrals (问题线索移送) — issue #16, COL-1/COL-2. Models live in
``zhifa.coordination.models``; every rule is in ``services`` (transfers, disputes) and
``clues`` (referrals)."""
