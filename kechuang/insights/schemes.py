"""The innovation-score tables shipped with Kechuang (loaded by migration 0002; editable data afterwards).

`torch-1.0`: the indicator framework of 科技部火炬中心《企业创新积分制工作指引（1.0）》(2022): three classes
(技术创新、成长经营、辅助), 18 indicators. The guide leaves weights and scoring bands to each pilot, so the
weights and bands below are this deployment's (a district may change them, or add a scheme with a
province's published table and select it with KECHUANG_SCORE_SCHEME). Definitions say where Kechuang reads each
input; the items no other module records (PCT and invention applications, registered technology contracts,
postgraduates, net profit for ROE, equity financing) come from `FirmYearFact` (firm self-report or import).
"""

TECH, GROWTH, AUX = "tech", "growth", "aux"

TORCH_1_0 = {
    "code": "torch-1.0",
    "name": "企业创新积分（火炬中心指引1.0指标框架，本区权重）",
    "source": "科技部火炬中心《企业创新积分制工作指引（1.0）》（2022年）；权重与分档为本部署设定",
    "weights_source": (
        "指引（1.0）只规定三类18项指标，未公布统一权重与分档；2024年《“创新积分制”工作指引（全国试行版）》"
        "按初创期、成长期、稳定期分别赋权，并允许地方自定权重。本表权重与分档为本部署设定（版本 torch-1.0），"
        "可按所在省、高新区公布的表另建一个版本并以 KECHUANG_SCORE_SCHEME 选用。"
    ),
    "indicators": [
        # code, class, name, unit, weight, bands [[lower bound, share]], definition (where Kechuang reads it)
        (
            "rd_amount",
            TECH,
            "研发费用总额",
            "万元",
            10,
            [[50, "0.25"], [200, "0.5"], [500, "0.75"], [1000, 1]],
            "年度统计报表R&D经费内部支出（统计口径）",
        ),
        (
            "rd_growth",
            TECH,
            "研发费用增长率",
            "%",
            6,
            [[0, "0.25"], [10, "0.5"], [20, "0.75"], [30, 1]],
            "R&D经费内部支出较上年增长率；上年为0或未报时缺数据",
        ),
        (
            "rd_intensity",
            TECH,
            "研发投入强度",
            "%",
            10,
            [[3, "0.4"], [5, "0.7"], [10, 1]],
            "R&D经费内部支出 ÷ 营业收入 × 100（年度统计报表）",
        ),
        (
            "st_staff_share",
            TECH,
            "科技人员占比",
            "%",
            6,
            [[10, "0.5"], [20, "0.8"], [30, 1]],
            "科技人员 ÷ 从业人员 × 100（年度统计报表）",
        ),
        (
            "postgrad_share",
            TECH,
            "研究生以上学历人员占比",
            "%",
            5,
            [[5, "0.5"], [10, 1]],
            "研究生以上学历人员 ÷ 从业人员 × 100（企业创新积分补充数据；从业人员取年度统计报表）",
        ),
        (
            "invention",
            TECH,
            "发明专利申请量",
            "件",
            8,
            [[1, "0.4"], [3, "0.7"], [5, 1]],
            "当年发明专利申请量（企业创新积分补充数据）；未报送时以企业画像Ⅰ类知识产权件数代替并注明",
        ),
        (
            "pct",
            TECH,
            "PCT专利申请量",
            "件",
            4,
            [[1, "0.5"], [2, 1]],
            "当年PCT国际专利申请量（企业创新积分补充数据）",
        ),
        (
            "tech_contract",
            TECH,
            "技术合同成交额",
            "万元",
            6,
            [[10, "0.4"], [50, "0.7"], [100, 1]],
            "当年登记的技术合同成交额（企业创新积分补充数据）；未报送时取当年签订的产学研合作协议合同金额合计",
        ),
        (
            "hightech_income",
            GROWTH,
            "高新技术产品（服务）收入",
            "万元",
            8,
            [[500, "0.25"], [2000, "0.5"], [5000, "0.75"], [10000, 1]],
            "年度统计报表高新技术产品（服务）收入",
        ),
        (
            "revenue",
            GROWTH,
            "营业收入",
            "万元",
            6,
            [[1000, "0.25"], [5000, "0.5"], [20000, "0.75"], [50000, 1]],
            "年度统计报表营业收入",
        ),
        (
            "revenue_growth",
            GROWTH,
            "营业收入增长率",
            "%",
            6,
            [[0, "0.25"], [10, "0.5"], [20, "0.75"], [30, 1]],
            "营业收入较上年增长率；上年为0或未报时缺数据",
        ),
        (
            "deduction",
            GROWTH,
            "研发费用加计扣除额",
            "万元",
            6,
            [["0.01", "0.4"], [100, "0.7"], [500, 1]],
            "年度统计报表研发费用加计扣除额（税务口径）",
        ),
        (
            "roe",
            GROWTH,
            "净资产收益率",
            "%",
            4,
            [[5, "0.5"], [10, "0.8"], [15, 1]],
            "净利润 ÷ 净资产 × 100（净利润取企业创新积分补充数据，净资产取年度统计报表）",
        ),
        (
            "projects",
            AUX,
            "承担科技计划项目",
            "项",
            4,
            [[1, "0.5"], [2, 1]],
            "当年在研或立项的各级科技计划项目数（项目台账）",
        ),
        ("awards", AUX, "获得科技奖励", "项", 3, [[1, 1]], "近5年获得的科学技术奖励（成果与奖励台账）"),
        (
            "platforms",
            AUX,
            "建有研发平台",
            "个",
            3,
            [[1, "0.6"], [2, 1]],
            "已认定且未撤销的研发类创新平台（新型研发机构、院士工作站、重点实验室、工程技术研究中心、人才工作室）",
        ),
        (
            "standards",
            AUX,
            "主持制定标准",
            "项",
            3,
            [[1, 1]],
            "企业画像中近5年主持制定的国际/国家/行业标准数",
        ),
        (
            "equity",
            AUX,
            "股权融资",
            "万元",
            2,
            [[1, 1]],
            "当年获得的股权融资额（企业创新积分补充数据）",
        ),
    ],
}

SCHEMES = [TORCH_1_0]
