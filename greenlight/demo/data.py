"""Names and figures of the demo district (宝安区): subdistricts, owners, project names."""

SUBDISTRICTS = ["新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"]

# The district's major projects (市区重大项目): the case's 新桥东, 魏桥 and 鹏鼎 among them, each
# owned by the company or bureau that builds it: (name, subdistrict, category, industry,
# investment in 万元, owner's name).
MAJOR_PROJECTS = [
    ("新桥东片区重点城市更新单元项目", "新桥", "social_industry", "manufacturing", 1860000,
     "深圳市新桥东投资发展有限公司"),
    ("鹏鼎控股宝安智能制造基地", "燕罗", "social_industry", "electronics", 680000,
     "鹏鼎控股（深圳）股份有限公司"),
    ("魏桥产业园一期", "松岗", "social_industry", "manufacturing", 420000,
     "深圳市魏桥实业有限公司"),
    ("宝安区人民医院整体改造工程", "新安", "gov_building", "health", 356000,
     "深圳市宝安区卫生健康局"),
    ("宝安中学（集团）燕罗校区新建工程", "燕罗", "gov_building", "education", 186000,
     "深圳市宝安区教育局"),
    ("沙井人才安居保障性住房项目", "沙井", "gov_building", "housing", 265000,
     "深圳市宝安人才安居有限公司"),
    ("福海新材料产业园", "福海", "social_industry", "manufacturing", 310000,
     "深圳市福海新材料有限公司"),
    ("燕罗新能源动力电池生产基地", "燕罗", "social_industry", "new_energy", 520000,
     "深圳市燕罗新能源有限公司"),
    ("石岩生物医药创新产业园", "石岩", "social_industry", "biomedicine", 240000,
     "深圳市石岩生物有限公司"),
    ("航城智能装备产业基地", "航城", "social_industry", "electronics", 275000,
     "深圳市航城智造有限公司"),
    ("沙井河流域综合整治工程", "沙井", "linear", "water", 198000, "深圳市宝安区水务局"),
    ("宝安大道快速化改造工程", "西乡", "linear", "transport", 452000, "深圳市宝安区交通运输局"),
]  # fmt: skip

# The district's named companies, first of them 鹏鼎 (the demo's `company1`).
COMPANY_STEMS = [
    "鹏鼎控股（深圳）股份有限公司",
    "深圳市魏桥实业有限公司",
    "深圳市新桥东投资发展有限公司",
    "深圳市航城智造有限公司",
    "深圳市福海新材料有限公司",
    "深圳市沙井电子有限公司",
    "深圳市松岗精密有限公司",
    "深圳市燕罗新能源有限公司",
    "深圳市石岩生物有限公司",
    "深圳市西乡物流有限公司",
    "深圳市新安数字科技有限公司",
    "深圳市福永航空配套有限公司",
]
# The district's state-owned companies (区属国企): they build housing, parks and city works.
STATE_OWNED = [
    "深圳市宝安人才安居有限公司",
    "深圳市宝安城市建设投资集团有限公司",
    "深圳市宝安产业投资集团有限公司",
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
    "深圳市宝安区住房和建设局",
]

# The kinds of project per category: (industry, name, owners, investment range in 万元). The
# owners are the bureau that builds such a project (a school by 教育局, a health centre by 卫健局,
# a road by 交通运输局, a drain by 水务局), "soe" for the district's state-owned companies (保障性住房
# by 人才安居 or 城投) or "company" for the private companies.
PROJECT_KINDS = {
    "gov_building": [
        ("education", "学校新建工程", ["深圳市宝安区教育局"], (12000, 80000)),
        ("education", "九年一贯制学校改扩建工程", ["深圳市宝安区教育局"], (8000, 60000)),
        ("health", "社康中心建设工程", ["深圳市宝安区卫生健康局"], (1500, 9000)),
        ("health", "人民医院扩建工程", ["深圳市宝安区卫生健康局"], (40000, 150000)),
        ("housing", "保障性住房项目", ["soe", "深圳市宝安区住房和建设局"], (30000, 150000)),
        ("commerce", "文体中心建设工程", ["深圳市宝安区文化广电旅游体育局"], (10000, 60000)),
    ],
    "social_industry": [
        ("manufacturing", "智能制造产业园", ["company"], (20000, 300000)),
        ("electronics", "电子信息产业基地", ["company"], (20000, 300000)),
        ("new_energy", "新能源电池生产基地", ["company"], (30000, 300000)),
        ("biomedicine", "生物医药研发中心", ["company"], (10000, 150000)),
        ("logistics", "智慧物流园", ["company", "soe"], (8000, 120000)),
        ("commerce", "总部大厦", ["company"], (20000, 250000)),
    ],
    "small_low_risk": [
        ("manufacturing", "厂房改造项目", ["company"], (300, 4000)),
        ("logistics", "仓库新建项目", ["company"], (300, 4000)),
        ("commerce", "配套用房项目", ["company"], (300, 3000)),
        ("manufacturing", "研发楼加建项目", ["company"], (500, 4000)),
    ],
    "linear": [
        ("transport", "道路新建工程", ["深圳市宝安区交通运输局"], (5000, 120000)),
        ("transport", "道路改造提升工程", ["深圳市宝安区交通运输局"], (2000, 40000)),
        ("water", "河道综合整治工程", ["深圳市宝安区水务局"], (5000, 90000)),
        ("water", "污水管网完善工程", ["深圳市宝安区水务局"], (2000, 30000)),
        ("municipal", "片区给水管网工程", ["深圳市宝安区水务局", "soe"], (2000, 20000)),
        ("transport", "立交改造工程", ["深圳市宝安区交通运输局"], (20000, 120000)),
    ],
}

# Share of projects per category (of ~850).
CATEGORY_WEIGHTS = {"gov_building": 22, "social_industry": 40, "small_low_risk": 20, "linear": 18}
# When projects arrive (registered at 谋划), by year from 2020: the register fills as the
# platform takes in more of the district's projects.
ARRIVALS_BY_YEAR = {2020: 5, 2021: 7, 2022: 9, 2023: 11, 2024: 13, 2025: 16, 2026: 18}
# ... by month: few around 春节 (Jan–Feb) and the National Day week (Oct), more in spring and
# autumn.
ARRIVALS_BY_MONTH = {1: 8, 2: 3, 3: 11, 4: 12, 5: 11, 6: 9, 7: 7, 8: 7, 9: 11, 10: 8, 11: 12, 12: 8}
# ... and by category: public buildings follow the budget approved in the spring, industry
# the autumn investment promotion, roads and pipes avoid the rainy season (Jun–Sep).
ARRIVALS_BY_CATEGORY = {
    "gov_building": {3: 1.5, 4: 1.5, 5: 1.3},
    "social_industry": {9: 1.4, 10: 1.3, 11: 1.4},
    "linear": {6: 0.6, 7: 0.5, 8: 0.5, 9: 0.7},
}
# Calendar days a project spends in 谋划 (planning: 立项, budget) and 前期 (preparation: land,
# design, pre-consultation) before its owner files the first matter, per category.
PLANNING_DAYS = {
    "gov_building": (60, 300),
    "linear": (60, 240),
    "social_industry": (30, 180),
    "small_low_risk": (15, 90),
}
PREPARATION_DAYS = {
    "gov_building": (30, 120),
    "linear": (30, 120),
    "social_industry": (20, 90),
    "small_low_risk": (10, 45),
}
# Calendar days from the actual start to the completion filings (竣工验收 and the rest).
BUILD_DAYS = {
    "gov_building": (600, 1200),
    "linear": (360, 900),
    "social_industry": (480, 1000),
    "small_low_risk": (180, 420),
}
# The major projects are the district's current ones: registered this many days ago.
MAJOR_ARRIVAL_DAYS = (200, 420)
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
