"""Synthetic people and identifiers for tests, benchmarks, samples and corpora.

Every value is generated: valid-looking (real region codes, correct check digits) but
belonging to nobody. Never put real personal information in the repository.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from .detect.validators import credit_code_check_char, id_check_char, luhn_check_digit, region_codes

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤普者")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙"]
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉凤建华志红文辉春梅新海波燕云萍国庆荣德成学兵利清")
PROVINCE_PLATE = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _county_codes() -> list[str]:
    return sorted(c for c in region_codes() if not c.endswith("00"))


@dataclass
class Synth:
    rng: random.Random

    @classmethod
    def seeded(cls, seed: int = 0) -> "Synth":
        return cls(random.Random(seed))

    def id18(self, lowercase_x: bool = False) -> str:
        region = self.rng.choice(_county_codes())
        y = self.rng.randint(1940, 2010)
        m = self.rng.randint(1, 12)
        d = self.rng.randint(1, 28)
        body = f"{region}{y:04d}{m:02d}{d:02d}{self.rng.randint(0, 999):03d}"
        check = id_check_char(body)
        if lowercase_x:
            check = check.lower()
        return body + check

    def id18_with_x(self) -> str:
        while True:
            v = self.id18()
            if v.endswith("X"):
                return v

    def id15(self) -> str:
        region = self.rng.choice(_county_codes())
        return f"{region}{self.rng.randint(40, 98):02d}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.rng.randint(0, 999):03d}"

    def mobile(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def landline(self) -> str:
        area = self.rng.choice(["010", "021", "020", "0871", "0878", "0571", "028", "0851"])
        n = 8 if len(area) == 3 else self.rng.choice([7, 8])
        return area + "-" + self.rng.choice("2345678") + "".join(self.rng.choice("0123456789") for _ in range(n - 1))

    def bank_card(self, length: int | None = None) -> str:
        length = length or self.rng.choice([16, 17, 18, 19])
        prefix = self.rng.choice(["62", "622", "621", "623", "43", "52"])
        body = prefix + "".join(self.rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
        return body + luhn_check_digit(body)

    def credit_code(self) -> str:
        region = self.rng.choice(_county_codes())
        body = self.rng.choice(["11", "12", "51", "52", "91", "92", "93"]) + region + "".join(
            self.rng.choice(USCC) for _ in range(9)
        )
        return body + credit_code_check_char(body)

    def email(self) -> str:
        user = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(self.rng.randint(3, 10)))
        return f"{user}{self.rng.randint(1, 999)}@{self.rng.choice(['example.com', 'example.cn', 'mail.example.org'])}"

    def passport(self) -> str:
        return self.rng.choice(["E", "G"]) + "".join(self.rng.choice("0123456789") for _ in range(8))

    def permit(self) -> str:
        return "C" + self.rng.choice("0123456789ABCDEFGHJK") + "".join(self.rng.choice("0123456789") for _ in range(7))

    def license_plate(self) -> str:
        head = self.rng.choice(PROVINCE_PLATE) + self.rng.choice(PLATE_LETTERS)
        if self.rng.random() < 0.3:  # new-energy: D/F + 5
            return head + self.rng.choice("DF") + "".join(self.rng.choice("0123456789") for _ in range(5))
        return head + "".join(self.rng.choice("0123456789") for _ in range(5))

    def ip_address(self) -> str:
        return ".".join(str(self.rng.randint(1, 254)) for _ in range(4))

    def name(self) -> str:
        if self.rng.random() < 0.05:
            sur = self.rng.choice(COMPOUND)
        else:
            sur = self.rng.choice(SURNAMES)
        return sur + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2, 2, 2])))


GENERATORS = {
    "id_card": Synth.id18,
    "mobile": Synth.mobile,
    "landline": Synth.landline,
    "bank_card": Synth.bank_card,
    "credit_code": Synth.credit_code,
    "email": Synth.email,
    "passport": Synth.passport,
    "permit": Synth.permit,
    "license_plate": Synth.license_plate,
    "ip_address": Synth.ip_address,
}
