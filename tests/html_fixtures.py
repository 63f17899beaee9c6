"""Generated web pages for the HTML tests (synthetic people only).

``portal_page`` writes a notice page as a portal publishes it, with personal data planted in
every place a page can hold text; it returns ``(path, secrets)``: planted value by place.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from redactor.synth import Synth


def split3(value: str, a: int, b: int) -> str:
    """A value split over inline elements with different formatting."""
    return f'<span style="color:red">{value[:a]}</span><b>{value[a:b]}</b>{value[b:]}'


def portal_page(path: Path, seed: int = 1, codec: str = "gb18030", declare: str = "gb2312") -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    sec = {
        "text_id": s.id18(), "text_mobile": s.mobile(), "cell_id": s.id18(), "cell_mobile": s.mobile(),
        "title_mobile": s.mobile(), "alt_id": s.id18(), "value_mobile": s.mobile(), "placeholder_email": s.email(),
        "meta_mobile": s.mobile(), "data_id": s.id18(), "mailto": s.email(), "mailto_escaped": s.email(),
        "tel": s.mobile(), "query_id": s.id18(), "comment_mobile": s.mobile(), "script_mobile": s.mobile(),
        "hidden_attr_id": s.id18(), "display_none_mobile": s.mobile(), "css_hidden_mobile": s.mobile(),
        "hidden_input_id": s.id18(), "onclick_mobile": s.mobile(), "card": s.bank_card(19),
        "style_content_mobile": s.mobile(), "textarea_mobile": s.mobile(), "option_mobile": s.mobile(),
        "root_comment_mobile": s.mobile(),
    }
    escaped = quote(sec["mailto_escaped"], safe="")  # mailto:user%40example.com
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<!-- 保存自门户网站 联系 {sec["root_comment_mobile"]} -->
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={declare}" />
<meta name="description" content="关于低保对象的公示 联系电话{sec["meta_mobile"]}" />
<meta name="author" content="王建国" />
<title>城乡低保公示（联系电话{sec["title_mobile"]}）</title>
<style type="text/css">
body {{ font-family: 宋体; }}
.hide {{ display: none }}
.note::after {{ content: "申请人电话{sec["style_content_mobile"]}"; }}
</style>
<script type="text/javascript">var contact = "{sec["script_mobile"]}";</script>
</head>
<body>
<!-- 经办人备注：联系电话 {sec["comment_mobile"]} -->
<div class="main">
<h1>关于2024年第一季度城乡低保对象的公示</h1>
<p class="note">经审核，申请人身份证号码：{split3(sec["text_id"], 6, 14)}，
联系电话：{split3(sec["text_mobile"], 3, 7)}，银行卡号{sec["card"]}。</p>
<p>咨询邮箱：<a href="mailto:{sec["mailto"]}">发送邮件</a>；
<a href="mailto:{escaped}">备用邮箱</a>；
<a href="tel:{sec["tel"]}">拨打电话</a>；
<a href="/query.jsp?sfzh={sec["query_id"]}&amp;t=1">查询</a></p>
<table border="1" cellspacing="0">
<tr><th>序号</th><th>身份证号码</th><th>联系电话</th></tr>
<tr><td>1</td><td>{sec["cell_id"]}</td><td>{split3(sec["cell_mobile"], 3, 7)}</td></tr>
</table>
<img src="photo.jpg" alt="申请人身份证 {sec["alt_id"]}" title="公示照片" />
<form action="/submit">
<input type="text" name="tel" value="{sec["value_mobile"]}" placeholder="邮箱 {sec["placeholder_email"]}" />
<input type="hidden" name="uid" value="{sec["hidden_input_id"]}" />
<textarea name="memo">
  联系电话
  {sec["textarea_mobile"]}
</textarea>
<select name="who"><option value="1">联系电话{sec["option_mobile"]}</option></select>
</form>
<div data-idcard="{sec["data_id"]}" onclick="call('{sec["onclick_mobile"]}')">详情</div>
<div hidden="hidden">身份证号码 {sec["hidden_attr_id"]}</div>
<p style="display:none">备用电话 {sec["display_none_mobile"]}</p>
<span class="hide">私人电话 {sec["css_hidden_mobile"]}</span>
<p>本公示期为7天。&nbsp;监督电话：12345</p>
</div>
</body>
</html>
"""
    path.write_bytes(page.encode(codec))
    return path, sec


def clean_page(path: Path, codec: str = "utf-8") -> Path:
    """A notice with nothing personal, no script and no comment: publishable as is."""
    page = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政务公开</title>
<style>p { margin: 0 }</style></head>
<body><h1>关于开展安全生产检查的通知</h1>
<p>各乡镇人民政府：请于<b>3月31日</b>前完成自查。监督电话：12345。</p>
<p><a href="https://www.example.gov.cn/xxgk/">政府信息公开</a></p></body></html>
"""
    path.write_bytes(page.encode(codec))
    return path
