"""Names and figures of the demo district (宝安区): subdistricts, owners, project names."""

SUBDISTRICTS = ["新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"]

# The case's major projects, owned by the demo company `company1` and others.
MAJOR_PROJECTS = [
    ("新桥东片区重点城市更新单元项目", "新桥", "social_industry", "manufacturing", 1860000),
    ("魏桥产业园一期", "松岗", "social_industry", "manufacturing", 420000),
    ("鹏鼎控股宝安智能制造基地", "燕罗", "social_industry", "electronics", 680000),
]

COMPANY_STEMS = [
    "鹏鼎控股（深圳）",
    "深圳市魏桥实业",
    "深圳市新桥东投资发展",
    "深圳市宝安城投",
    "深圳市航城智造",
    "深圳市福海新材料",
    "深圳市沙井电子",
    "深圳市松岗精密",
    "深圳市燕罗新能源",
    "深圳市石岩生物",
    "深圳市西乡物流",
    "深圳市新安数字",
    "深圳市福永航空配套",
    "深圳市宝安产业投资",
]
COMPANY_SUFFIXES = ["股份有限公司", "有限公司", "科技有限公司", "实业有限公司", "集团有限公司"]
COMPANY_WORDS = [
    "华",
    "创",
    "博",
    "精",
    "瑞",
    "腾",
    "辉",
    "达",
    "航",
    "信",
    "智",
    "联",
    "新",
    "源",
    "盛",
    "泰",
    "宏",
    "力",
    "捷",
    "睿",
    "嘉",
    "德",
    "昌",
    "凯",
]

AGENCIES = [
    "深圳市宝安区建筑工务署",
    "深圳市宝安区教育局",
    "深圳市宝安区卫生健康局",
    "深圳市宝安区水务局",
    "深圳市宝安区交通运输局",
    "深圳市宝安区城市更新和土地整备局",
    "深圳市宝安区文化广电旅游体育局",
]

PROJECT_KINDS = {
    "gov_building": [
        ("education", "学校新建工程"),
        ("education", "九年一贯制学校改扩建工程"),
        ("health", "社康中心建设工程"),
        ("health", "人民医院扩建工程"),
        ("housing", "保障性住房项目"),
        ("commerce", "文体中心建设工程"),
    ],
    "social_industry": [
        ("manufacturing", "智能制造产业园"),
        ("electronics", "电子信息产业基地"),
        ("new_energy", "新能源电池生产基地"),
        ("biomedicine", "生物医药研发中心"),
        ("logistics", "智慧物流园"),
        ("commerce", "总部大厦"),
    ],
    "small_low_risk": [
        ("manufacturing", "厂房改造项目"),
        ("logistics", "仓库新建项目"),
        ("commerce", "配套用房项目"),
        ("manufacturing", "研发楼加建项目"),
    ],
    "linear": [
        ("transport", "道路新建工程"),
        ("transport", "道路改造提升工程"),
        ("water", "河道综合整治工程"),
        ("water", "污水管网完善工程"),
        ("municipal", "片区给水管网工程"),
        ("transport", "立交改造工程"),
    ],
}

# Share of projects per category and lifecycle stage (of ~850).
CATEGORY_WEIGHTS = {"gov_building": 22, "social_industry": 40, "small_low_risk": 20, "linear": 18}
STAGE_WEIGHTS = {
    "planning": 10,
    "preparation": 15,
    "approval": 32,
    "construction": 33,
    "completed": 10,
}
INVESTMENT_RANGE = {
    "gov_building": (3000, 150000),
    "social_industry": (5000, 300000),
    "small_low_risk": (300, 4000),
    "linear": (2000, 120000),
}
# Sector codes (DD) of the national project code, per category.
SECTOR = {"gov_building": 47, "social_industry": 36, "small_low_risk": 47, "linear": 48}


# Names of the demo's people (family name, given name), in the order the users are made.
PEOPLE = [
    ("李", "明"),
    ("陈", "静"),
    ("黄", "伟"),
    ("张", "建国"),
    ("刘", "芳"),
    ("王", "强"),
    ("周", "晓燕"),
    ("吴", "海"),
    ("郑", "丽"),
    ("林", "志远"),
    ("何", "敏"),
    ("罗", "涛"),
    ("谢", "婷"),
    ("许", "文斌"),
    ("邓", "佳"),
    ("冯", "磊"),
    ("曾", "雪梅"),
    ("彭", "勇"),
]
