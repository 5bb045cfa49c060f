"""The demo province's names: provincial departments, city and county bureaus, demo accounts."""

DEMO_PASSWORD = "Demo@2026hlj"
PROVINCE_CODE = "230000000000"
PROVINCE_BUREAU = "黑龙江省营商环境建设监督局"

# (name, short name, kind) of provincial bodies; the bureau is created first and is everyone's root.
PROVINCIAL_BODIES = [
    (PROVINCE_BUREAU, "省营商局", "business_environment_bureau"),
    ("黑龙江省政务服务中心", "省政务服务中心", "hall_management"),
    ("中共黑龙江省委机构编制委员会办公室", "省委编办", "establishment_office"),
    ("黑龙江省司法厅", "省司法厅", "legal_affairs_office"),
    ("黑龙江省市场监督管理局", "省市场监管局", "department"),
    ("黑龙江省公安厅", "省公安厅", "department"),
    ("黑龙江省人力资源和社会保障厅", "省人社厅", "department"),
    ("黑龙江省住房和城乡建设厅", "省住建厅", "department"),
    ("黑龙江省自然资源厅", "省自然资源厅", "department"),
    ("黑龙江省卫生健康委员会", "省卫健委", "department"),
    ("黑龙江省教育厅", "省教育厅", "department"),
    ("黑龙江省民政厅", "省民政厅", "department"),
    ("黑龙江省交通运输厅", "省交通运输厅", "department"),
    ("黑龙江省税务局", "省税务局", "department"),
    ("黑龙江省医疗保障局", "省医保局", "department"),
    ("黑龙江省生态环境厅", "省生态环境厅", "department"),
]

# Department suffix → short-name suffix. Cities get CITY_DEPARTMENTS, counties COUNTY_DEPARTMENTS
# (small) or all of LARGE_COUNTY_DEPARTMENTS (--large).
CITY_DEPARTMENTS = [("市场监督管理局", "市场监管局"), ("公安局", "公安局"), ("人力资源和社会保障局", "人社局"),
                    ("住房和城乡建设局", "住建局"), ("自然资源局", "自然资源局"), ("卫生健康委员会", "卫健委")]
COUNTY_DEPARTMENTS = [("市场监督管理局", "市场监管局"), ("人力资源和社会保障局", "人社局")]
LARGE_COUNTY_DEPARTMENTS = COUNTY_DEPARTMENTS + [
    ("公安局", "公安局"), ("住房和城乡建设局", "住建局"), ("自然资源局", "自然资源局"), ("卫生健康局", "卫健局"),
    ("教育局", "教育局"), ("民政局", "民政局"), ("交通运输局", "交通局"), ("医疗保障局", "医保局"),
]

# Provincial departments that get a data-source code (PORTAL-7.9), beside the 13 cities.
DATA_SOURCE_DEPARTMENTS = [name for name, _short, kind in PROVINCIAL_BODIES if kind != "business_environment_bureau"]

# username → (label, kind, organisation name or None, role codes, is_staff, where to log in)
PORTAL_URL = "http://127.0.0.1:8000/portal/"
PUBLIC_URL = "http://127.0.0.1:8000/"
# The demo province_admin's authenticator secret (base32); published on purpose, demo data only.
DEMO_TOTP_SECRET = "HLJDEMOTOTPKEYFORPROVINCEADMIN23"

ACCOUNTS = {
    "province_admin": ("省级系统管理员", "staff", PROVINCE_BUREAU, ["system_admin", "reviewer"], True, PORTAL_URL),
    "harbin_staff": ("哈尔滨市营商局工作人员", "staff", "哈尔滨市营商环境建设监督局", ["reviewer", "handler"], False,
                     PORTAL_URL),
    "daoli_clerk": ("道里区市场监管局经办人", "staff", "道里区市场监督管理局", ["handler", "window_staff"], False,
                    PORTAL_URL),
    "citizen_demo": ("自然人（张晓明）", "natural_person", None, [], False, PUBLIC_URL),
    "enterprise_demo": ("法人（哈尔滨冰城科技有限公司）", "legal_person", None, [], False, PUBLIC_URL),
}
