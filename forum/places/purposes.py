"""What public money is spent on: the UN's Classification of the Functions of Government (COFOG), the
classification HM Treasury's Country and Regional Analysis uses to say where public spending goes.

A spending line names a purpose by its COFOG code: a division ("07", health) or a group within it ("07.3",
hospital services). Totals by purpose add up by division; the groups are shown inside their division.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    code: str
    name: str

    @property
    def division(self) -> str:
        """The top-level code ("07" for "07.3")."""
        return self.code.split(".")[0]

    @property
    def is_division(self) -> bool:
        return "." not in self.code


_TABLE = """
01 General public services
01.1 Executive and legislative organs, financial and fiscal affairs
01.3 General services
01.7 Public debt transactions
01.8 Transfers between levels of government
01.9 General public services not elsewhere classified
02 Defence
02.1 Military defence
02.2 Civil defence
03 Public order and safety
03.1 Police services
03.2 Fire-protection services
03.3 Law courts
03.4 Prisons
03.6 Public order and safety not elsewhere classified
04 Economic affairs
04.1 General economic, commercial and labour affairs
04.2 Agriculture, forestry, fishing and hunting
04.3 Fuel and energy
04.5 Transport
04.9 Economic affairs not elsewhere classified
05 Environmental protection
05.1 Waste management
05.2 Waste water management
05.3 Pollution abatement
05.4 Protection of biodiversity and landscape
05.6 Environmental protection not elsewhere classified
06 Housing and community amenities
06.1 Housing development
06.2 Community development
06.3 Water supply
06.4 Street lighting
06.6 Housing and community amenities not elsewhere classified
07 Health
07.1 Medical products, appliances and equipment
07.2 Outpatient services
07.3 Hospital services
07.4 Public health services
07.6 Health not elsewhere classified
08 Recreation, culture and religion
08.1 Recreational and sporting services
08.2 Cultural services
08.4 Religious and other community services
08.6 Recreation, culture and religion not elsewhere classified
09 Education
09.1 Pre-primary and primary education
09.2 Secondary education
09.4 Tertiary education
09.5 Education not definable by level
09.6 Subsidiary services to education
09.8 Education not elsewhere classified
10 Social protection
10.1 Sickness and disability
10.2 Old age
10.4 Family and children
10.5 Unemployment
10.6 Housing benefit and support
10.7 Social exclusion not elsewhere classified
10.9 Social protection not elsewhere classified
"""

PURPOSES: dict[str, Purpose] = {}
for _line in _TABLE.strip().splitlines():
    _code, _name = _line.split(" ", 1)
    PURPOSES[_code] = Purpose(_code, _name)

DIVISIONS: tuple[Purpose, ...] = tuple(purpose for purpose in PURPOSES.values() if purpose.is_division)


def find(code: str) -> Purpose | None:
    """The purpose a code names, accepting "7", "07", "7.3" and "07.3"; None when COFOG has no such code."""
    code = code.strip()
    head, _, tail = code.partition(".")
    if not head.isdigit() or (tail and not tail.isdigit()):
        return None
    normal = f"{int(head):02d}" + (f".{int(tail)}" if tail else "")
    return PURPOSES.get(normal)


def division_of(code: str) -> Purpose:
    return PURPOSES[code.split(".")[0]]
