"""Reports as government web pages: site chrome around an article with colspan/rowspan tables.

Modelled on corpus/pingtan_2024_page.html: a header with navigation, a breadcrumb, the article
(title, publication line, paragraphs, tables whose cells hold <p>/<span>), a footer with the
site's registration numbers. Options: cell wrappers, &nbsp; padding, one big table holding Tables
2-4 with heading rows between them, the whole article inside a layout table, GBK encoding.
"""
from __future__ import annotations

from html import escape

from tests.render.model import Para, Table, VCell, document
from tests.render.style import Style

_TD_STYLE = "padding: 5px; border: 1px solid windowtext; word-break: break-all;"
_TABLE_OPEN = ('<table style="font-family: \'Times New Roman\';font-size: 13px;border-collapse: collapse;'
               'margin: 0 auto;" cellspacing="0" align="center" border="1"><tbody>')


def _chrome_top(title: str, record: dict, style: Style) -> str:
    site = f"{record['body_name']}门户网站"
    charset = "gb2312" if style.charset == "gb2312" else "utf-8"
    rng = style.rng("chrome")
    return f"""<!DOCTYPE html>
<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset={charset}" />
    <meta name="ArticleTitle" content="{escape(title)}"/>
    <meta name="PubDate" content="{record['year'] + 1}-01-{rng.randint(10, 31)} 15:35"/>
    <title>{escape(title)}_政府信息公开年报_{escape(site)}</title>
    <link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">
    <script type="text/javascript">var siteId = 4; var visits = [1, 2, 3];</script>
    <style>td {{ padding: 5px; }} .row > div {{ width: 100%; }}</style>
  </head>
  <body>
    <div class="header"><div class="nav">
      <a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/zwfw/">政务服务</a> <a href="/hdjl/">互动交流</a>
      <span class="date">{record['year'] + 1}年1月{rng.randint(1, 31)}日 星期一</span>
    </div></div>
    <div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
    <div class="article">
      <h1 class="title">{escape(title)}</h1>
      <div class="info">发布时间：{record['year'] + 1}-01-20 来源：{escape(record['body_name'])} 浏览次数：<span>{rng.randint(100, 99999)}</span> 字号：[大 中 小]</div>
      <div class="content" id="zoom">
"""


def _chrome_bottom(record: dict, style: Style) -> str:
    rng = style.rng("chrome")
    return f"""      </div>
      <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【打印本页】【关闭窗口】</div>
    </div>
    <div class="footer">
      <table class="links"><tr><td><a href="https://www.gov.cn/">中国政府网</a></td><td><a href="#">省政府</a></td></tr></table>
      <p>主办：{escape(record['body_name'])} 网站标识码：{rng.randint(1000000000, 9999999999)} 皖ICP备{rng.randint(10000000, 99999999)}号-1</p>
      <p>联系电话：0566-{rng.randint(1000000, 9999999)} 访问量：{rng.randint(10000, 9999999)}</p>
    </div>
  </body>
</html>
"""


def _cell_html(cell: VCell, style: Style) -> str:
    text = cell.text
    if style.nbsp and cell.value:
        body = "&nbsp;" + escape(text.strip()) + "&nbsp;" if text.strip() else "&nbsp;"
    else:
        body = "<br/>".join(escape(part) for part in text.split("\n"))
    if style.cell_wrap == "p":
        body = f'<p style="text-indent: 0em;">{body}</p>'
    elif style.cell_wrap == "span":
        body = f'<span style="font-family: 仿宋_GB2312; font-size: 16px;">{body}</span>'
    elif style.cell_wrap == "p_span":
        body = f'<p style="text-align: center;"><span style="font-size: 14px;">{body}</span></p>'
    attrs = ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    return f'<td{attrs} style="{_TD_STYLE}" valign="center">{body}</td>'


def _rows_html(table: Table, style: Style) -> str:
    return "".join("<tr>" + "".join(_cell_html(c, style) for c in row) + "</tr>" for row in table.rows)


def _para_html(para: Para) -> str:
    if para.role == "title":
        return f'<p style="text-align: center;"><strong>{escape(para.text)}</strong></p>'
    if para.role == "heading":
        return f'<p style="text-indent: 2em;"><span style="font-family: 黑体, SimHei;">{escape(para.text)}</span></p>'
    return f'<p style="text-indent: 2em;">{escape(para.text).replace("  ", "&nbsp; ")}</p>'


def render_html(record: dict, style: Style) -> str:
    """The report as a government web page (a str; see html_bytes for the encoded page)."""
    blocks = document(record, style)
    title = next(b.text for b in blocks if isinstance(b, Para) and b.role == "title")
    parts: list[str] = []
    if style.one_table:
        width = max(b.width for b in blocks if isinstance(b, Table))
        first = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
        last = max(i for i, b in enumerate(blocks) if isinstance(b, Table))
        parts += [_para_html(b) for b in blocks[:first]]
        parts.append(_TABLE_OPEN)
        for b in blocks[first:last + 1]:
            if isinstance(b, Table):
                parts.append(_rows_html(b, style))
            else:
                parts.append(f'<tr><td colspan="{width}" style="{_TD_STYLE}">{escape(b.text)}</td></tr>')
        parts.append("</tbody></table>")
        parts += [_para_html(b) for b in blocks[last + 1:]]
    else:
        for b in blocks:
            parts.append(_TABLE_OPEN + _rows_html(b, style) + "</tbody></table>" if isinstance(b, Table)
                         else _para_html(b))
    article = "\n".join(parts)
    if style.wrapper_table:
        article = f'<table width="100%" class="layout"><tr><td class="main">\n{article}\n</td></tr></table>'
    return _chrome_top(title, record, style) + article + "\n" + _chrome_bottom(record, style)


def html_bytes(record: dict, style: Style) -> bytes:
    encoding = "gbk" if style.charset == "gb2312" else "utf-8"
    return render_html(record, style).encode(encoding, errors="xmlcharrefreplace")
