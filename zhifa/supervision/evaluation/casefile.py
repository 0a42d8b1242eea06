"""The one place the evaluation pages reach the case file (案卷) of ``zhifa.cases.casefile``:
its table of contents in the standard order and the whole file as PDF. Kept apart so that a
restructured case file (正卷/副卷) is wired in here only."""


def case_file_entries(case):
    """The table of contents (卷内目录) of ``case``."""
    from zhifa.cases.casefile import entries

    return entries(case)


def case_file_pdf(case) -> bytes:
    """The whole case file as one PDF."""
    from zhifa.cases.casefile import case_file_pdf as render

    return render(case)
