"""Data exchange with the 工改 system (工程建设项目审批管理系统) and the 投资 platform.

The tables are those of the 住建部 data-sharing standard (工程建设项目审批管理系统数据共享标准) as
the 工改 systems exchange them; field codes as in the standard (upper case), names in Chinese.
Each row is one transaction through the owning app's services (projects intake, approvals and
their acts), so the audit trail and the events are written as for a change made by hand.

SPGL_XMJBXXB 项目基本信息表 -> projects.Project (projects.services.create_project / update_project)
    XMDM 项目代码 -> code (the national key)        XMMC 项目名称 -> name
    XZQHDM 行政区划代码 -> checked against the code's division and the run's region
    ZTZE 总投资额（万元） -> total_investment          JSDD 建设地点 -> location
    JSGMJNR 建设规模及内容 -> scale_content             YDMJ 用地面积 -> land_area
    JSXZ 建设性质 -> construction_nature               XMZJSX 项目资金属性 -> funding_source
    SPLCLX 审批流程类型 -> category                      GBHY 国标行业 -> industry
    NKGSJ 拟开工时间 -> planned_start                   NJCSJ 拟建成时间 (exported only)
    DWTYSHXYDM 统一社会信用代码 (SPGL_XMDWXXB 项目单位信息表) -> owner (an Organization of the region)
SPGL_XMSPSXBLXXB 项目审批事项办理信息表 (办件) -> approvals.Approval
    GCDM 工程代码 -> the project's code          SPSXBM 审批事项编码 -> catalog.Matter.code
    SPSXSLBM 审批事项实例编码 = 办件编号 (the national key; linked to the approval here)
    SPBMMC 审批部门名称, SXBLSX 事项办理时限: exported; the catalog decides them on import
    A case for a matter the project lacks opens it (projects.services.add_matter).
SPGL_XMSPSXBLXXXXB 项目审批事项办理详细信息表 (办件过程/状态) -> approvals.services.transition
    SPSXSLBM 办件编号, BLZT 办理状态, BLSJ 办理时间, BLYJ 办理意见, BLR 办理人, BLCS 办理处（科）室
    BLZT: 1 已接件 -> submit; 3 已受理, 8 部门开始办理 -> accept; 6 补正（开始） -> pause
    (supplement); 7 补正（结束）, 10 特别程序（结束） -> resume; 9 特别程序（开始） -> pause (expert
    review); 2 已撤件, 14 撤回 -> withdraw; 4 不受理, 5 不予受理, 11/12 办结（通过/容缺通过）, 13 办结
    （不通过） must match the decision of the 批复 table (a decision is an act with its number, made
    by approvals.acts.decide); 15 撤销 is refused (a revocation is not exchanged).
SPGL_XMSPSXPFWJXXB 项目审批事项批复文件信息表 (批复/结果) -> approvals.acts.decide
    SPSXSLBM 办件编号, PFRQ 批复日期 -> issued_on, PFWH 批复文号 -> number, PFWJBT 批复文件标题 -> title,
    PFWJYXQX 批复文件有效期限 -> valid_until (9999-01-01: none), SPJG 审批结果 (1 准予, 2 不予, 3 不予受理;
    default 1), BLYJ 办理意见 -> opinion, FLYJ 法律依据 -> legal_basis (a refusal needs both).
SPGL_XMSPSXBLTBCXXXB 项目审批事项办理特别程序信息表 (特别程序) -> approvals pause / resume
    SPSXSLBM 办件编号, TBCX 特别程序 (1 专家评审, 2 听证, 3 现场勘查, 4 公示, 5 检验检测, 6 补正材料),
    TBCXMC 特别程序名称, TBCXKSSJ 特别程序开始时间, TBCXJSSJ 特别程序结束时间 (blank: still running).

Idempotence: a project row is compared with the project and applied only when a field differs;
a case row links its 办件编号 to the approval once; a status, 特别程序 or 批复 row is applied once
per (办件编号, 状态, 时间) key, remembered in `ExchangeRecord`. A file is applied row by row: a bad
row fails alone (its reason, row number and field recorded), the others are applied.
"""
