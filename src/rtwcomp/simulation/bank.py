"""The item bank the simulated focus groups talk about: the default framework's items.

The bank is read from the framework's data file (a CSV, not code of the frameworks app),
through the product's CSV reader. Which items count as medical knowledge, as technical or
as the study's top five is decided here from their wording, because the 2010 study reports
its subgroup and ranking findings in those terms (pransky2010 facts: nurses rated the
medical-knowledge items higher; technical and medical items were rated lower; five items
were rated highest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rtwcomp.interop.csv_input import Column, Limits, raise_problems, read_table

DEFAULT_BANK = Path(__file__).resolve().parent.parent / "frameworks" / "data" / "rtw_item_bank.csv"
BANK_LIMITS = Limits(max_bytes=5_000_000, max_rows=10_000)

MEDICAL = re.compile(r"medical|clinical|diagnos|restriction|treating|treatment|mental health", re.I)
TECHNICAL = re.compile(r"ergonom|job analysis|physical|labou?r|union", re.I)
TOP_FIVE = re.compile(r"confidential|ethic|listens|in writing|what they say", re.I)


@dataclass(frozen=True)
class BankItem:
    code: str
    group: str
    ksab_type: str
    statement: str

    @property
    def medical(self) -> bool:
        return bool(MEDICAL.search(self.statement))

    @property
    def technical(self) -> bool:
        return bool(TECHNICAL.search(self.statement))

    @property
    def top(self) -> bool:
        return bool(TOP_FIVE.search(self.statement))


def load_bank(path: Path = DEFAULT_BANK) -> list[BankItem]:
    """Every item of an item-bank CSV (columns code, group, ksab_type, statement)."""
    columns = [Column(name, required=True) for name in ("code", "group", "ksab_type", "statement")]
    table = read_table(path, path.name, columns, BANK_LIMITS)
    raise_problems(table.problems)
    return [
        BankItem(r.values["code"], r.values["group"], r.values["ksab_type"], r.values["statement"])
        for r in table.records
    ]
