#!/usr/bin/env python3
"""Measures a running Genjin server's spreadsheet and customer-merging paths on its workspace
(the 100,000-lead demo in scripts/bench.sh): the check and the import of a 5,000-row xlsx of
new leads, the duplicate groups, a merge, and the export of every lead as CSV and xlsx.
Standard library only (the xlsx is written with zipfile).

usage: bench_io.py BASE_URL ADMIN_TOKEN [ROWS]
"""
import http.client
import io
import json
import random
import sys
import time
import urllib.parse
import zipfile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows):
    """A one-sheet workbook with inline strings and numbers."""
    def cell(ref, v):
        if v is None:
            return ""
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        v = str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    body = "".join(
        f'<row r="{y + 1}">' + "".join(cell(f"{chr(65 + x)}{y + 1}", v) for x, v in enumerate(r)) + "</row>"
        for y, r in enumerate(rows))
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="线索" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def sheet(n, seed=5):
    rnd = random.Random(seed)
    sources = ["展会", "官网表单", "合作伙伴推荐", "社交媒体", "电话开发"]
    regions = ["华东", "华北", "华南", "华中", "西南", "西北"]
    industries = ["制造业", "互联网", "金融", "零售", "教育", "医疗"]
    chains = ["决策人已参与", "已识别决策人", "影响者", "仅联系人"]
    rows = [["来源渠道", "企业名称", "所属行业", "区域", "员工数", "联系人", "职位", "电话", "邮箱", "需求描述",
             "预算", "决策时间", "决策链", "标签"]]
    stamp = int(time.time())
    for i in range(n):
        rows.append([rnd.choice(sources), f"测评导入企业{stamp}-{i}有限公司", rnd.choice(industries),
                     rnd.choice(regions), f"{rnd.choice([20, 80, 300, 800, 2000])}人", f"联系人{i}", "采购经理",
                     f"15{rnd.randrange(10**8, 10**9)}", None, "系统升级", f"{rnd.choice([5, 10, 20, 50])}万",
                     f"{rnd.choice([1, 3, 6, 12])}个月", rnd.choice(chains), "导入测评"])
    return xlsx(rows)


def request(conn, method, path, token, body=None, content_type="application/json"):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    payload = res.read()
    return res.status, payload, (time.perf_counter() - start) * 1000


def main():
    base, token = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    data = sheet(rows)
    print(f"xlsx of {rows} new leads: {len(data) / 1e6:.2f} MB")
    for commit in ("false", "true"):
        status, payload, ms = request(conn, "POST", f"/api/v1/leads/import?commit={commit}", token, data, XLSX)
        report = json.loads(payload)
        print(f"import commit={commit:<5} HTTP {status} in {ms:8.0f} ms: created {report.get('created')}, "
              f"updated {report.get('updated')}, failed rows {len({p['row'] for p in report.get('failed', [])})}")
    status, payload, ms = request(conn, "GET", "/api/v1/duplicates", token)
    groups = json.loads(payload)["groups"]
    print(f"duplicates                HTTP {status} in {ms:8.0f} ms: {len(groups)} groups")
    times = []
    for group in groups[:5]:
        keep, other = group["leads"][0], group["leads"][1]
        _, lead, _ = request(conn, "GET", f"/api/v1/leads/{keep}", token)
        version = json.loads(lead)["version"]
        body = json.dumps({"from": other, "version": version}).encode()
        status, payload, ms = request(conn, "POST", f"/api/v1/leads/{keep}/merge", token, body)
        times.append(ms)
        print(f"merge {other} → {keep}  HTTP {status} in {ms:8.1f} ms")
    if times:
        print(f"merge median {sorted(times)[len(times) // 2]:.1f} ms")
    for fmt in ("csv", "xlsx"):
        status, payload, ms = request(conn, "GET", f"/api/v1/leads/export?format={fmt}", token)
        print(f"export {fmt:<4}               HTTP {status} in {ms:8.0f} ms: {len(payload) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
