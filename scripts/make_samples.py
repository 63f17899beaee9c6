"""Write the bundled plain-text samples in samples/ (synthetic people only).

    python scripts/make_samples.py

DOCX and PDF samples come from scripts/make_sample_docx.py and scripts/make_sample_pdf.py.
"""
from __future__ import annotations

from pathlib import Path

from redactor.synth import Synth

OUT = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    s = Synth.seeded(2026)
    a, b = s.name(), s.name()
    files = {
        "txt_policy_report.txt": (
            "青溪县人民政府办公室2025年政府信息公开工作年度报告\n\n"
            "一、总体情况\n"
            "2025年，县政府办公室认真贯彻落实《中华人民共和国政府信息公开条例》，完善了保密审查机制，"
            "除涉密事项外均已按规定公开。全年主动公开政府信息1,236条，办理依申请公开73件。\n"
            "公开属性分为“主动公开”“依申请公开”“不予公开”三类，均经保密审查后确定。\n"
            "咨询电话：0871-65550100（工作日9:00-17:00），12345政务服务便民热线全天受理。\n"
        ),
        "txt_penalty_decision.txt": (
            "青溪县市场监督管理局\n行政处罚决定书\n青市监处罚〔2025〕18号\n\n"
            f"当事人：{a}，男，1975年3月出生，公民身份号码：{s.id18()}，"
            f"联系电话：{s.mobile()}。\n"
            f"经查，当事人{a}于2025年4月在其经营的门店销售过期食品……\n"
            f"当事人开户行账号：{s.bank_card(19)}。车牌号：{s.license_plate()}。\n\n"
            "（此件删减后公开）\n"
        ),
        "txt_internal_notice.txt": (
            "000318\n机密★5年\n特急\n\n青溪县人民政府办公室文件\n\n"
            "关于做好重点项目调度工作的通知\n\n各乡镇人民政府：\n……\n\n（此件不公开）\n"
        ),
        "txt_subsidy_list.md": (
            "# 2025年度临时救助资金发放名单公示\n\n"
            "| 序号 | 姓名 | 身份证号码 | 救助金额（元） |\n|---|---|---|---|\n"
            f"| 1 | {a} | {s.id18()} | 1500 |\n| 2 | {b} | {s.id18()} | 2000 |\n\n"
            "公示期间如有异议，请拨打监督电话：0871-65550123。\n"
        ),
    }
    OUT.mkdir(exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
