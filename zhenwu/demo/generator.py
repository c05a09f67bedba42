"""The generated 沙地镇: households, members and 2022 incomes from a fixed seed.

Pure Python, no database: the builder writes the result into the import workbook and feeds it
to the real importer, so the demo data passes the same validation as a township's ledger.
"""

import csv
import datetime
import random
from dataclasses import dataclass, field
from pathlib import Path

from zhenwu.demo import names
from zhenwu.lib.ids import age_on, build_id_number
from zhenwu.registry.choices import (
    Education,
    Health,
    HouseholdCategory,
    LabourCapacity,
    LiftedSubtype,
    MedicalInsurance,
    Relation,
    SchoolStatus,
    WorkPlace,
)

AREAS_CSV = Path(__file__).resolve().parent.parent / "areas" / "data" / "shadi.csv"
TOWNSHIP_CODE = "360704101"
TOWN_CENTRE_CODE = "360704101001"  # 沙地圩居委会
REFERENCE_DATE = datetime.date(2023, 1, 1)  # the demo's ledger is as of the start of 2023
INCOME_YEAR = 2022
# ID numbers keep the region of first registration: 赣县 (360721) until the 2016 change to
# 赣县区 (360704); children born from 2017 on are registered under the new code.
OLD_REGION, NEW_REGION = "360721", "360704"
NEW_REGION_FROM = datetime.date(2017, 1, 1)
LIFTED_SHARE = 1500 / 11000  # about 1,500 脱贫户 among 11,000 households (DEMO.md)

HOUSEHOLD_SIZES = [(1, 9), (2, 16), (3, 18), (4, 22), (5, 20), (6, 10), (7, 5)]
STRUCTURES = {
    1: [("single_elder", 75), ("single_adult", 25)],
    2: [("elder_couple", 55), ("middle_couple", 20), ("single_parent", 15), ("left_behind", 10)],
    3: [("nuclear", 70), ("with_parents", 10), ("single_parent", 10), ("left_behind", 10)],
    4: [("nuclear", 50), ("with_parents", 20), ("three_generation", 30)],
    5: [("three_generation", 45), ("with_parents", 40), ("nuclear", 15)],
    6: [("three_generation", 70), ("with_parents", 30)],
    7: [("three_generation", 80), ("with_parents", 20)],
}
LIFTED_SUBTYPES = [
    (LiftedSubtype.ORDINARY, 78),
    (LiftedSubtype.DIBAO, 16),
    (LiftedSubtype.TEKUN, 6),
]
LIFTED_YEARS = [(2014, 10), (2015, 12), (2016, 20), (2017, 22), (2018, 20), (2019, 16)]
RELOCATION_SITES = ["沙地镇圩镇集中安置点", "赣县区城区集中安置点"]
PHONE_PREFIXES = "130 131 132 133 134 135 136 137 138 139 150 151 152 157 158 159 180 182 187 188 189 199".split()  # fmt: skip
DISABILITY_KINDS = "肢体 视力 听力 言语 智力 精神".split()
GRADES = "一二三四"

# Yearly transfers in yuan (2022 order of magnitude in 赣州): basic pension from 60, 低保 and
# 特困 support per person.
PENSION_PER_YEAR = 1_800
DIBAO_PER_YEAR = 4_560
TEKUN_PER_YEAR = 7_800

HEAD_FIRST_SEX = {"1": Relation.SON, "2": Relation.DAUGHTER}
GRANDCHILD = {"1": Relation.GRANDSON, "2": Relation.GRANDDAUGHTER}
PARENT = {"1": Relation.FATHER, "2": Relation.MOTHER}
LINEAGE_RELATIONS = {Relation.SON, Relation.DAUGHTER, Relation.GRANDSON, Relation.GRANDDAUGHTER}
MARRIED_IN_RELATIONS = {Relation.SPOUSE, Relation.DAUGHTER_IN_LAW, Relation.MOTHER}


@dataclass
class Village:
    code: str
    name: str


@dataclass
class Member:
    """One row of the 成员信息 sheet (values are choice values, not labels)."""

    name: str
    sex: str
    birth_date: datetime.date
    relation: str
    id_number: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    school_status: str = ""
    health: str = Health.HEALTHY
    disability: str = ""
    labour_capacity: str = ""
    work_place: str = WorkPlace.NONE
    work_months: int = 0
    medical_insurance: str = MedicalInsurance.RESIDENT
    critical_illness_insurance: bool = True
    pension_insurance: bool = False
    receives_dibao: bool = False
    receives_tekun: bool = False
    phone: str = ""
    bank_account: str = ""
    status: str = "active"

    @property
    def age(self) -> int:
        return age_on(self.birth_date, REFERENCE_DATE)

    @property
    def has_labour(self) -> bool:
        return self.labour_capacity in {
            LabourCapacity.ORDINARY,
            LabourCapacity.SKILLED,
            LabourCapacity.WEAK,
        }

    @property
    def works(self) -> bool:
        return bool(self.work_place)


@dataclass
class Income:
    """One row of the 收入信息 sheet, whole yuan."""

    year: int
    wage_income: int
    business_income: int
    property_income: int
    transfer_income: int
    production_cost: int

    @property
    def net_income(self) -> int:
        return (
            self.wage_income
            + self.business_income
            + self.property_income
            + self.transfer_income
            - self.production_cost
        )


@dataclass
class HouseholdRecord:
    """One row of the 户信息 sheet with its members and income."""

    number: str
    village: Village
    group_name: str
    natural_village: str
    address: str
    category: str
    lifted_year: int | None = None
    lifted_subtype: str = ""
    phone: str = ""
    no_labour: bool = False
    relocated: bool = False
    relocation_site: str = ""
    status: str = "active"
    members: list[Member] = field(default_factory=list)
    income: Income | None = None


@dataclass
class Town:
    households: list[HouseholdRecord]
    villages: list[Village]

    @property
    def people(self) -> int:
        return sum(len(h.members) for h in self.households)

    @property
    def lifted_households(self) -> int:
        return sum(h.category == HouseholdCategory.LIFTED for h in self.households)


def read_villages(path: Path = AREAS_CSV) -> list[Village]:
    """The township's villages and its residents' committee, in code order."""
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Village(row["code"], row["name"])
        for row in rows
        if row["level"].strip() == "village" and row["parent_code"].strip() == TOWNSHIP_CODE
    ]


def generate_town(*, households: int = 11000, seed: int = 2023) -> Town:
    return TownGenerator(seed).generate(households)


class TownGenerator:
    """Everything random goes through ``self.rng``, so a seed gives the same town."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_sequences: dict[tuple[str, datetime.date], set[int]] = {}

    def pick(self, weighted):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    # --- the town ------------------------------------------------------------------------
    def generate(self, total: int) -> Town:
        villages = read_villages()
        counts = self.allocate(villages, total)
        lifted_total = round(total * LIFTED_SHARE)
        lifted = set(self.rng.sample(range(total), lifted_total))
        records: list[HouseholdRecord] = []
        for village, count in zip(villages, counts, strict=True):
            places = self.places(village, count)
            for sequence in range(1, count + 1):
                is_lifted = len(records) in lifted
                records.append(
                    self.household(village, sequence, self.rng.choice(places), is_lifted)
                )
        return Town(households=records, villages=villages)

    def allocate(self, villages: list[Village], total: int) -> list[int]:
        """Households per village: the town centre is the largest, villages vary ±30 %."""
        weights = [
            1.6 if v.code == TOWN_CENTRE_CODE else self.rng.uniform(0.7, 1.3) for v in villages
        ]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for index in range(total - sum(counts)):
            counts[index % len(counts)] += 1
        return counts

    def places(self, village: Village, count: int) -> list[tuple[str, str]]:
        """(natural village or street, group) pairs; about 40 households per group."""
        groups = max(1, min(20, round(count / 40)))
        pool = names.TOWN_STREETS if village.code == TOWN_CENTRE_CODE else names.NATURAL_VILLAGES
        naturals = self.rng.sample(pool, min(len(pool), max(2, groups // 2)))
        return [
            (naturals[(number - 1) * len(naturals) // groups], names.group_name(number))
            for number in range(1, groups + 1)
        ]

    # --- one household ---------------------------------------------------------------------
    def household(self, village, sequence, place, is_lifted) -> HouseholdRecord:
        natural, group = place
        record = HouseholdRecord(
            number=f"{village.code}{sequence:04d}",
            village=village,
            group_name=group,
            natural_village=natural,
            address=f"沙地镇{village.name}{natural}{self.rng.randint(1, 160)}号",
            category=HouseholdCategory.LIFTED if is_lifted else HouseholdCategory.GENERAL,
        )
        if is_lifted:
            record.lifted_subtype = self.pick(LIFTED_SUBTYPES)
            record.lifted_year = self.pick(LIFTED_YEARS)
            record.relocated = self.rng.random() < 0.04
            record.relocation_site = self.rng.choice(RELOCATION_SITES) if record.relocated else ""
        record.members = self.members(record)
        record.no_labour = not any(m.has_labour for m in record.members)
        self.apply_social_support(record)
        record.phone = next((m.phone for m in record.members if m.phone), "")
        if is_lifted:
            # Subsidies for 脱贫户 are paid to the head's 一卡通 account.
            record.members[0].bank_account = "6217" + self.digits(15)
        record.income = self.income(record)
        return record

    def members(self, record: HouseholdRecord) -> list[Member]:
        if record.lifted_subtype == LiftedSubtype.TEKUN:
            skeleton = self.tekun_skeleton()
        else:
            size = self.pick(HOUSEHOLD_SIZES)
            skeleton = getattr(self, self.pick(STRUCTURES[size]))(size)
        members = self.name_members(skeleton)
        frailty = 1.6 if record.category == HouseholdCategory.LIFTED else 1.0
        dependent = record.lifted_subtype == LiftedSubtype.TEKUN
        for member in members:
            self.fill_member(member, frailty, dependent)
        return members

    def apply_social_support(self, record: HouseholdRecord) -> None:
        """低保 and 特困 are household decisions; every member carries the flag."""
        dibao = record.lifted_subtype == LiftedSubtype.DIBAO or (
            record.category == HouseholdCategory.GENERAL
            and any(m.health != Health.HEALTHY for m in record.members)
            and self.rng.random() < 0.06
        )
        tekun = record.lifted_subtype == LiftedSubtype.TEKUN
        for member in record.members:
            member.receives_dibao = dibao
            member.receives_tekun = tekun

    # --- family structures: lists of (relation, sex, age) -----------------------------------
    def wife_age(self, husband_age: int) -> int:
        return max(20, husband_age - self.pick([(0, 2), (1, 3), (2, 3), (3, 2), (5, 1), (-1, 1)]))

    def children(self, mother_age: int, count: int, relations=HEAD_FIRST_SEX) -> list[tuple]:
        """Children of a mother now ``mother_age``, the eldest born when she was 21-29."""
        people, age = [], mother_age - self.rng.randint(21, 29)
        for _ in range(count):
            sex = self.sex(0.52)
            people.append((relations[sex], sex, max(0, age)))
            age -= self.rng.randint(1, 5)
        return people

    def sex(self, male_share: float) -> str:
        return "1" if self.rng.random() < male_share else "2"

    def single_elder(self, size):
        return [(Relation.HEAD, self.sex(0.45), self.rng.randint(62, 92))]

    def single_adult(self, size):
        return [(Relation.HEAD, self.sex(0.8), self.rng.randint(28, 60))]

    def elder_couple(self, size):
        head = self.rng.randint(60, 86)
        return [(Relation.HEAD, "1", head), (Relation.SPOUSE, "2", self.wife_age(head))]

    def middle_couple(self, size):
        head = self.rng.randint(42, 60)
        return [(Relation.HEAD, "1", head), (Relation.SPOUSE, "2", self.wife_age(head))]

    def single_parent(self, size):
        head_sex, head = self.sex(0.5), self.rng.randint(32, 55)
        return [(Relation.HEAD, head_sex, head), *self.children(head, size - 1)]

    def left_behind(self, size):
        """Grandparents raising grandchildren whose parents work away (留守)."""
        head = self.rng.randint(55, 75)
        people = [(Relation.HEAD, "1" if size == 3 else self.sex(0.4), head)]
        if size == 3:
            people.append((Relation.SPOUSE, "2", self.wife_age(head)))
        grandchild = (GRANDCHILD[sex := self.sex(0.52)], sex, self.rng.randint(2, 15))
        return people + [grandchild]

    def nuclear(self, size):
        head = self.rng.randint(26 + 3 * max(0, size - 3), 55)
        wife = self.wife_age(head)
        return [(Relation.HEAD, "1", head), (Relation.SPOUSE, "2", wife)] + self.children(
            wife, size - 2
        )

    def with_parents(self, size):
        parents = 1 if size <= 4 else (2 if size >= 6 else self.rng.choice([1, 2]))
        head = self.rng.randint(30, 55)
        wife = self.wife_age(head)
        father = min(95, head + self.rng.randint(22, 34))
        elders = [(Relation.MOTHER, "2", self.wife_age(father))]
        if parents == 2:
            elders.insert(0, (Relation.FATHER, "1", father))
        own = self.children(wife, size - 2 - parents)
        return [(Relation.HEAD, "1", head), (Relation.SPOUSE, "2", wife), *own, *elders]

    def three_generation(self, size):
        head = self.rng.randint(50, 75)
        people = [(Relation.HEAD, "1", head)]
        if self.rng.random() > 0.12:  # else widowed
            people.append((Relation.SPOUSE, "2", self.wife_age(head)))
        son = max(22, head - self.rng.randint(22, 32))
        daughter_in_law = self.wife_age(son)
        people += [(Relation.SON, "1", son), (Relation.DAUGHTER_IN_LAW, "2", daughter_in_law)]
        remaining = size - len(people)
        if remaining > 3:
            people.append((Relation.DAUGHTER, "2", max(18, son - self.rng.randint(2, 8))))
            remaining -= 1
        return people + self.children(daughter_in_law, remaining, GRANDCHILD)

    def tekun_skeleton(self):
        """特困供养: an elder or disabled adult without support, rarely an elder couple."""
        if self.rng.random() < 0.15:
            return self.elder_couple(2)
        if self.rng.random() < 0.7:
            return self.single_elder(1)
        return [(Relation.HEAD, self.sex(0.75), self.rng.randint(35, 60))]

    # --- names and ID numbers ----------------------------------------------------------------
    def name_members(self, skeleton) -> list[Member]:
        head_surname = names.pick_surname(self.rng)
        head_sex = skeleton[0][1]
        lineage = head_surname if head_sex == "1" else names.pick_surname(self.rng)
        members = []
        for relation, sex, age in skeleton:
            if relation in LINEAGE_RELATIONS:
                surname = lineage
            elif relation in MARRIED_IN_RELATIONS:
                surname = self.other_surname(lineage)
            else:
                surname = head_surname
            birth_date = self.birth_date(age)
            name = surname + names.given_name(self.rng, sex, birth_date.year)
            member = Member(name=name, sex=sex, birth_date=birth_date, relation=relation)
            member.id_number = self.id_number(birth_date, sex)
            members.append(member)
        return members

    def other_surname(self, avoid: str) -> str:
        surname = names.pick_surname(self.rng)
        return surname if surname != avoid else names.pick_surname(self.rng)

    def birth_date(self, age: int) -> datetime.date:
        """A date on which someone is ``age`` years old on REFERENCE_DATE (never 1 January)."""
        year = REFERENCE_DATE.year - 1 - age
        return datetime.date(year, 1, 2) + datetime.timedelta(days=self.rng.randint(0, 363))

    def id_number(self, birth_date: datetime.date, sex: str) -> str:
        region = NEW_REGION if birth_date >= NEW_REGION_FROM else OLD_REGION
        used = self.used_sequences.setdefault((region, birth_date), set())
        while True:
            # The sequence's last digit is odd for men and even for women (GB 11643).
            sequence = self.rng.randrange(1, 500) * 2 - (1 if sex == "1" else 0)
            if sequence not in used:
                used.add(sequence)
                return build_id_number(region, birth_date, sequence)

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(count))

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + self.digits(8)

    # --- member attributes ---------------------------------------------------------------------
    def fill_member(self, member: Member, frailty: float, dependent: bool) -> None:
        """``dependent``: 特困供养 — adults under 60 in it are severely disabled."""
        age = member.age
        member.education, member.school_status = self.schooling(age, member.birth_date.year)
        member.health, member.disability = self.health(age, frailty)
        if dependent and age < 60:
            kind, grade = self.rng.choice(DISABILITY_KINDS), self.rng.choice("一二")
            member.health, member.disability = Health.DISABLED, f"{kind}残疾{grade}级"
        member.labour_capacity = self.labour(member)
        member.work_place, member.work_months = self.work(member)
        member.medical_insurance = self.pick(
            [(MedicalInsurance.RESIDENT, 950), (MedicalInsurance.EMPLOYEE, 40)]
            + [(MedicalInsurance.NONE, 1)]
        )
        member.critical_illness_insurance = member.medical_insurance != MedicalInsurance.NONE
        adult = age >= 16 and member.school_status != SchoolStatus.HIGHER
        member.pension_insurance = adult and self.rng.random() < 0.88
        member.phone = self.phone() if 16 <= age <= 75 and self.rng.random() < 0.85 else ""
        if self.rng.random() < 0.003:
            member.ethnicity = "畲族"  # 赣南 has a small She minority

    def schooling(self, age: int, birth_year: int) -> tuple[str, str]:
        """(文化程度, 在校生状况) by age; students record the level they attend."""
        if age < 3:
            return Education.PRESCHOOL, ""
        if age <= 5:
            in_kindergarten = self.rng.random() < 0.9
            status = SchoolStatus.PRESCHOOL if in_kindergarten else SchoolStatus.NOT_STUDENT
            return Education.PRESCHOOL, status
        if age <= 11:
            return Education.PRIMARY, SchoolStatus.PRIMARY
        if age <= 14:
            return Education.JUNIOR, SchoolStatus.JUNIOR
        if age <= 17:
            roll = self.rng.random()
            if roll < 0.85:
                return Education.SENIOR, SchoolStatus.SENIOR
            status = SchoolStatus.DROPPED_OUT if roll > 0.997 else SchoolStatus.NOT_STUDENT
            return Education.JUNIOR, status
        if age <= 22 and self.rng.random() < 0.4:
            level = self.pick([(Education.COLLEGE, 55), (Education.BACHELOR, 45)])
            return level, SchoolStatus.HIGHER
        return self.adult_education(age, birth_year), SchoolStatus.NOT_STUDENT

    def adult_education(self, age: int, birth_year: int) -> str:
        E = Education
        if age <= 22:  # out of school, so no degree yet
            return self.pick([(E.JUNIOR, 45), (E.SENIOR, 55)])
        if birth_year < 1950:
            table = [(E.ILLITERATE, 30), (E.PRIMARY, 50), (E.JUNIOR, 18), (E.SENIOR, 2)]
        elif birth_year < 1966:
            table = [(E.ILLITERATE, 10), (E.PRIMARY, 45), (E.JUNIOR, 35), (E.SENIOR, 10)]
        elif birth_year < 1981:
            table = [(E.PRIMARY, 25), (E.JUNIOR, 55), (E.SENIOR, 15), (E.COLLEGE, 5)]
        elif birth_year < 1996:
            table = [(E.PRIMARY, 5), (E.JUNIOR, 50), (E.SENIOR, 25), (E.COLLEGE, 12)]
            table.append((E.BACHELOR, 8))
        else:
            table = [(E.JUNIOR, 35), (E.SENIOR, 35), (E.COLLEGE, 18), (E.BACHELOR, 12)]
        return self.pick(table)

    def health(self, age: int, frailty: float) -> tuple[str, str]:
        """Mostly healthy; chronic illness and disability grow with age and in 脱贫户."""
        if age < 18:
            chronic, serious, disabled = 0.01, 0.003, 0.01
        elif age < 45:
            chronic, serious, disabled = 0.03, 0.01, 0.02
        elif age < 60:
            chronic, serious, disabled = 0.10, 0.025, 0.035
        else:
            chronic, serious, disabled = 0.26, 0.04, 0.06
        roll = self.rng.random() / frailty
        if roll < disabled:
            kind, grade = self.rng.choice(DISABILITY_KINDS), self.rng.choice(GRADES)
            return Health.DISABLED, f"{kind}残疾{grade}级"
        if roll < disabled + serious:
            return Health.SERIOUS, ""
        if roll < disabled + serious + chronic:
            return Health.CHRONIC, ""
        return Health.HEALTHY, ""

    def labour(self, member: Member) -> str:
        L, age = LabourCapacity, member.age
        if age < 16 or member.school_status not in {"", SchoolStatus.NOT_STUDENT}:
            return L.NONE
        if member.health == Health.SERIOUS:
            return self.pick([(L.LOST, 60), (L.WEAK, 40)])
        if member.health == Health.DISABLED:
            return L.LOST if member.disability[-2] in "一二" else L.WEAK
        if age >= 75 or (age >= 65 and member.health != Health.HEALTHY):
            return L.NONE
        if member.health == Health.CHRONIC or age >= 65:
            return self.pick([(L.WEAK, 70), (L.ORDINARY, 30)])
        if age >= 60:
            return self.pick([(L.ORDINARY, 50), (L.WEAK, 50)])
        return self.pick([(L.ORDINARY, 82), (L.SKILLED, 18)])

    def work(self, member: Member) -> tuple[str, int]:
        """Most able adults under 50 work away from home (务工) for most of the year."""
        W, age = WorkPlace, member.age
        able = member.labour_capacity in {LabourCapacity.ORDINARY, LabourCapacity.SKILLED}
        if member.labour_capacity == LabourCapacity.WEAK and age < 60:
            if self.rng.random() < 0.25:
                return self.pick([(W.IN_TOWNSHIP, 60), (W.IN_COUNTY, 40)]), self.months(6)
            return W.NONE, 0
        if not able or not 18 <= age <= 59:
            return W.NONE, 0
        if self.rng.random() > (0.65 if age <= 50 else 0.4):
            return W.NONE, 0
        if age <= 45:
            table = [(W.OUT_OF_PROVINCE, 55), (W.IN_PROVINCE, 25), (W.IN_COUNTY, 12)]
            table.append((W.IN_TOWNSHIP, 8))
        else:
            table = [(W.OUT_OF_PROVINCE, 30), (W.IN_PROVINCE, 25), (W.IN_COUNTY, 25)]
            table.append((W.IN_TOWNSHIP, 20))
        place = self.pick(table)
        far = place in {W.OUT_OF_PROVINCE, W.IN_PROVINCE}
        return place, self.months(8 if far else 6)

    def months(self, minimum: int) -> int:
        return min(12, max(minimum, self.rng.randint(minimum, 14)))

    # --- 2022 income --------------------------------------------------------------------------
    def per_capita_target(self, record: HouseholdRecord) -> float:
        """Most households 8,000-30,000 yuan per head; 脱贫户 lower, 低保/特困 lowest."""
        # Floors keep the town above the sample monitoring line (6,900 in 2023) and mostly
        # above its 10% margin: the department line should flag tens of households, not
        # thousands, as in a real township.
        if record.lifted_subtype in {LiftedSubtype.DIBAO, LiftedSubtype.TEKUN}:
            return self.rng.uniform(7_300, 11_000)
        if record.category == HouseholdCategory.LIFTED:
            return min(22_000, max(7_700, self.rng.gauss(11_500, 3_000)))
        target = self.rng.gauss(16_500, 5_000)
        if record.no_labour:
            target *= 0.6
        if self.rng.random() < 0.03:
            target = self.rng.uniform(30_000, 45_000)
        return min(45_000, max(7_700 if record.no_labour else 8_000, target))

    def income(self, record: HouseholdRecord) -> Income:
        size = len(record.members)
        pensioners = sum(m.age >= 60 for m in record.members)
        transfer = pensioners * PENSION_PER_YEAR + self.rng.randint(100, 600)  # + 耕地地力补贴
        transfer += sum(DIBAO_PER_YEAR for m in record.members if m.receives_dibao)
        transfer += sum(TEKUN_PER_YEAR for m in record.members if m.receives_tekun)
        dividend = record.category == HouseholdCategory.LIFTED and self.rng.random() < 0.7
        rent = self.rng.random() < 0.2
        property_income = self.rng.randint(300, 1_000) if dividend else 0
        property_income += self.rng.randint(200, 3_000) if rent else 0
        net = max(
            round(self.per_capita_target(record) * size),
            transfer + property_income + self.rng.randint(500, 2_000),
        )
        earned = net - transfer - property_income
        workers = sum(m.works for m in record.members)
        wage_share = self.rng.uniform(0.6, 0.9) if workers else 0.0
        wage = round(earned * wage_share)
        business_net = earned - wage
        cost_share = self.rng.uniform(0.25, 0.45)
        cost = round(business_net * cost_share / (1 - cost_share))
        return Income(INCOME_YEAR, wage, business_net + cost, property_income, transfer, cost)
