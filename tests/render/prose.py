"""The prose around the tables: realistic sentences, some restating table figures in words."""
from __future__ import annotations

from tests.render.style import Style, digits

_MANAGEMENT = ("（三）政府信息管理。认真落实信息发布保密审查机制和三级审核制度，确保涉密信息不泄露、错误信息不上网。"
               "及时排查清理无关无效信息、历史信息等，为信息发布规范化夯实基础。")
_PLATFORM = ("（四）政府信息公开平台建设。持续优化政府网站栏目设置，合并涉改革部门的基层两化栏目和对应的信息公开栏目内容，"
             "通过线上“政务公开与村（居）务公开衔接栏目”+线下“村级信息公开查阅点”模式推动基层政务公开向村居延伸。")
_OVERSIGHT = ("（五）监督保障。将政务公开工作纳入绩效考核，细化分解任务，明确时限要求，压实主体责任。"
              "加强培训指导，开展日常监测、季度检查，建立纠错反馈机制。")
_PROBLEMS = ("{year}年，我单位政府信息公开工作取得了一定成效，但仍存在一些不足：一是主动公开的深度和广度有待拓展；"
             "二是政策解读形式还不够丰富；三是工作人员业务能力有待提升。",
             "下一步，我们将认真贯彻落实《中华人民共和国政府信息公开条例》，进一步完善工作机制，加强业务培训，"
             "不断提升政务公开工作水平。")
_FILLER = ("围绕群众关注关切，持续做好规划计划、财政预决算、重大建设项目、公共资源配置、社会公益事业建设等重点领域"
           "信息公开，及时发布权威信息，主动回应社会关切，切实提高政府工作透明度，推动政务公开工作向纵深发展。")


def _n(value: int, style: Style) -> str:
    return digits(str(value), style)


def intro(record: dict) -> str:
    from tests.render.model import NOTICE

    year = record["year"]
    return (f"根据《中华人民共和国政府信息公开条例》（国务院令第711号）和《国务院办公厅政府信息与政务公开办公室关于印发"
            f"〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{NOTICE[record['layout']]}）要求，编制本年度报告。"
            f"本报告中所列数据统计期限为{year}年1月1日至12月31日。如对本报告有任何疑问，请与{record['body_name']}"
            f"政务公开办公室联系（邮编：245100，电话：0566-3295966）。")


def overview(record: dict, style: Style) -> list[str]:
    if not style.narrative:
        return ["（文字描述）"]
    year, rng = record["year"], style.rng("overview")
    received = record["table3"]["new_received"]["total"]
    t4 = record["table4"]
    reviews = t4["review_total"]
    lawsuits = t4["litigation_direct_total"] + t4["litigation_after_review_total"]
    published = rng.randint(200, 30000)
    lines = [
        f"{year}年，我单位认真贯彻落实新时代政务公开工作要求，紧盯重点领域，深化公开内容，持续推进政府信息公开工作"
        f"标准化、规范化建设。",
        f"（一）主动公开。{_n(year, style)}年，通过门户网站主动公开各类政府信息共计{_n(published, style)}条，"
        f"召开新闻发布会{_n(rng.randint(1, 30), style)}场次，回应关切{_n(rng.randint(10, 999), style)}条。",
        f"（二）依申请公开。{year}年，共收到政府信息公开申请{_n(received, style)}件，均在规定时间内依法答复。"
        f"涉及政府信息公开的行政复议{_n(reviews, style)}件，行政诉讼{_n(lawsuits, style)}件。",
        _MANAGEMENT, _PLATFORM, _OVERSIGHT,
    ]
    return lines


def problems(record: dict, style: Style, count: int, filler: bool = False) -> list[str]:
    if filler:
        return [f"{i + 1}.{_FILLER}" for i in range(count)]
    if not style.narrative:
        return ["（文字描述）"]
    return [line.format(year=record["year"]) for line in _PROBLEMS[:count]]


def fees_paragraph(record: dict, style: Style) -> str:
    if not style.narrative:
        return "（文字描述，收取信息处理费情况在此处报告。）"
    rng = style.rng("fees")
    if rng.random() < 0.6:
        return f"本年度未收取信息处理费。{record['year']}年度无其他需要报告的事项。"
    return f"依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费{_n(rng.randint(1, 9) * 100, style)}元。"


def closing(record: dict, year: int) -> list[str]:
    return [record["body_name"], f"{year + 1}年1月20日"]
