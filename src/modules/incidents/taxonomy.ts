// Incident classification and grading for Firedrill.
//
// Categories and subcategories follow GB/T 20986-2023《信息安全技术 网络安全事件分类分级指南》
// (published 2023-05-23, in force 2023-12-01, replaces GB/Z 20986-2007): 10 categories, each with its
// subcategories (except 其他事件, which has none). Levels I–IV and the regulator reporting presets follow
// 《国家网络安全事件报告管理办法》(国家互联网信息办公室, 2025-09-11, in force 2025-11-01) and its attachment
// 《网络安全事件分级指南》.
//
// Sources and how sure we are (no copy of the standard's full text was available while writing this):
// - The 10 categories, the subcategory names and their order were taken from a third-party implementation
//   of the standard (an `event_category` seed table in a public GitHub repository: rows 1–75, category /
//   subcategory / short definition). Independent secondary sources agree on the counts that could be
//   checked: 10 categories (up from 7), 恶意程序事件 10 subcategories, 网络攻击事件 21, 数据安全事件 12, and
//   on examples such as 勒索软件, 挖矿病毒, 恶意代码宿主站点, BGP 劫持, 供应链攻击, 暗链植入, 数据投毒,
//   位置检测, 社会工程. The subcategories of the other seven categories rest on that one source only; they are
//   marked `// unconfirmed` below. Check them against the standard's §5.2 and Appendix B before relying on
//   them in an auditor-facing document.
// - `code`: the standard's normative Appendix B gives 分类代码 (classification codes). Their exact format was
//   NOT confirmed. One secondary source cites 勒索软件事件 as "01007", i.e. a 2-digit category number plus a
//   3-digit subcategory number in list order, which matches the list order used here; the codes below are
//   derived that way and must be verified. `abbr` is the letter code used by the same third-party
//   implementation (MP, NA, DS, …); it is NOT known to come from the standard. The 2007 abbreviations
//   (MI, NAI, …) were dropped by the 2023 edition (its foreword says the old abbreviations were deleted).
// - English names are ours (the standard is Chinese only).

export type Locale = 'zh-CN' | 'en';
export type LocalizedText = { readonly 'zh-CN': string; readonly en: string };

export interface IncidentSubcategoryDef {
  readonly code: string;
  readonly abbr: string;
  readonly key: string;
  readonly name: LocalizedText;
}

export interface IncidentCategoryDef {
  readonly code: string;
  readonly abbr: string;
  readonly key: string;
  readonly name: LocalizedText;
  readonly subcategories: readonly IncidentSubcategoryDef[];
}

export const INCIDENT_CATEGORIES = [
  {
    code: '01',
    abbr: 'MP',
    key: 'malware',
    name: { 'zh-CN': '恶意程序事件', en: 'Malware incident' },
    subcategories: [
      { code: '01001', abbr: 'MPEVIR', key: 'computer_virus', name: { 'zh-CN': '计算机病毒事件', en: 'Computer virus incident' } },
      { code: '01002', abbr: 'MPWORM', key: 'network_worm', name: { 'zh-CN': '网络蠕虫事件', en: 'Network worm incident' } },
      { code: '01003', abbr: 'MPTROJ', key: 'trojan_horse', name: { 'zh-CN': '特洛伊木马事件', en: 'Trojan horse incident' } },
      { code: '01004', abbr: 'MPZOMB', key: 'botnet', name: { 'zh-CN': '僵尸网络事件', en: 'Botnet incident' } },
      { code: '01005', abbr: 'MPWEB', key: 'malicious_code_in_webpage', name: { 'zh-CN': '恶意代码内嵌网页事件', en: 'Malicious code embedded in web page incident' } },
      { code: '01006', abbr: 'MPHOST', key: 'malicious_code_host_site', name: { 'zh-CN': '恶意代码宿主站点事件', en: 'Malicious code hosting site incident' } },
      { code: '01007', abbr: 'MPRANS', key: 'ransomware', name: { 'zh-CN': '勒索软件事件', en: 'Ransomware incident' } },
      { code: '01008', abbr: 'MPMINER', key: 'cryptomining_malware', name: { 'zh-CN': '挖矿病毒事件', en: 'Cryptomining malware incident' } },
      { code: '01009', abbr: 'MPHYBR', key: 'blended_attack_program', name: { 'zh-CN': '混合攻击程序事件', en: 'Blended attack program incident' } },
      { code: '01010', abbr: 'MPOTH', key: 'other_malware', name: { 'zh-CN': '其他恶意程序事件', en: 'Other malware incident' } },
    ],
  },
  {
    code: '02',
    abbr: 'NA',
    key: 'network_attack',
    name: { 'zh-CN': '网络攻击事件', en: 'Network attack incident' },
    subcategories: [
      { code: '02001', abbr: 'NASCAN', key: 'network_scanning', name: { 'zh-CN': '网络扫描探测事件', en: 'Network scanning and probing incident' } },
      { code: '02002', abbr: 'NAPHISH', key: 'phishing', name: { 'zh-CN': '网络钓鱼事件', en: 'Phishing incident' } },
      { code: '02003', abbr: 'NAEXPLOIT', key: 'vulnerability_exploitation', name: { 'zh-CN': '漏洞利用事件', en: 'Vulnerability exploitation incident' } },
      { code: '02004', abbr: 'NABACKDOOR', key: 'backdoor_exploitation', name: { 'zh-CN': '后门利用事件', en: 'Backdoor exploitation incident' } },
      { code: '02005', abbr: 'NABACKIMPL', key: 'backdoor_implantation', name: { 'zh-CN': '后门植入事件', en: 'Backdoor implantation incident' } },
      { code: '02006', abbr: 'NACRED', key: 'credential_attack', name: { 'zh-CN': '凭据攻击事件', en: 'Credential attack incident' } },
      { code: '02007', abbr: 'NASIGINT', key: 'signal_interference', name: { 'zh-CN': '信号干扰事件', en: 'Signal interference incident' } },
      { code: '02008', abbr: 'NADOS', key: 'denial_of_service', name: { 'zh-CN': '拒绝服务事件', en: 'Denial of service incident' } },
      { code: '02009', abbr: 'NAWEBMOD', key: 'web_defacement', name: { 'zh-CN': '网页篡改事件', en: 'Web page defacement incident' } },
      { code: '02010', abbr: 'NALINK', key: 'hidden_link_implantation', name: { 'zh-CN': '暗链植入事件', en: 'Hidden link implantation incident' } },
      { code: '02011', abbr: 'NADNSHIJ', key: 'domain_hijacking', name: { 'zh-CN': '域名劫持事件', en: 'Domain name hijacking incident' } },
      { code: '02012', abbr: 'NATRANSFER', key: 'domain_redirection', name: { 'zh-CN': '域名转嫁事件', en: 'Domain name redirection incident' } },
      { code: '02013', abbr: 'NADNSPOLL', key: 'dns_pollution', name: { 'zh-CN': 'DNS污染事件', en: 'DNS pollution incident' } },
      { code: '02014', abbr: 'NAWLANH', key: 'wlan_hijacking', name: { 'zh-CN': 'WLAN劫持事件', en: 'WLAN hijacking incident' } },
      { code: '02015', abbr: 'NATRAFHIJ', key: 'traffic_hijacking', name: { 'zh-CN': '流量劫持事件', en: 'Traffic hijacking incident' } },
      { code: '02016', abbr: 'NABGPATT', key: 'bgp_hijacking', name: { 'zh-CN': 'BGP劫持攻击事件', en: 'BGP hijacking incident' } },
      { code: '02017', abbr: 'NABRDCAST', key: 'broadcast_spoofing', name: { 'zh-CN': '广播欺诈事件', en: 'Broadcast spoofing incident' } },
      { code: '02018', abbr: 'NAHACKED', key: 'compromised_host', name: { 'zh-CN': '失陷主机事件', en: 'Compromised host incident' } },
      { code: '02019', abbr: 'NASUPPLY', key: 'supply_chain_attack', name: { 'zh-CN': '供应链攻击事件', en: 'Supply chain attack incident' } },
      { code: '02020', abbr: 'NAAPT', key: 'apt', name: { 'zh-CN': 'APT事件', en: 'Advanced persistent threat (APT) incident' } },
      { code: '02021', abbr: 'NAOTH', key: 'other_network_attack', name: { 'zh-CN': '其他网络攻击事件', en: 'Other network attack incident' } },
    ],
  },
  {
    code: '03',
    abbr: 'DS',
    key: 'data_security',
    name: { 'zh-CN': '数据安全事件', en: 'Data security incident' },
    subcategories: [
      { code: '03001', abbr: 'DSDATAALTER', key: 'data_tampering', name: { 'zh-CN': '数据篡改事件', en: 'Data tampering incident' } },
      { code: '03002', abbr: 'DSDATAFAKE', key: 'data_forgery', name: { 'zh-CN': '数据假冒事件', en: 'Data forgery incident' } },
      { code: '03003', abbr: 'DSDATALEAK', key: 'data_leak', name: { 'zh-CN': '数据泄露事件', en: 'Data leak incident' } },
      { code: '03004', abbr: 'DSSOCENG', key: 'social_engineering', name: { 'zh-CN': '社会工程事件', en: 'Social engineering incident' } },
      { code: '03005', abbr: 'DSDATASTEAL', key: 'data_theft', name: { 'zh-CN': '数据窃取事件', en: 'Data theft incident' } },
      { code: '03006', abbr: 'DSDATAINTER', key: 'data_interception', name: { 'zh-CN': '数据拦截事件', en: 'Data interception incident' } },
      { code: '03007', abbr: 'DSLOCDETECT', key: 'location_detection', name: { 'zh-CN': '位置检测事件', en: 'Location detection incident' } },
      { code: '03008', abbr: 'DSDATAPOLL', key: 'data_poisoning', name: { 'zh-CN': '数据投毒事件', en: 'Data poisoning incident' } },
      { code: '03009', abbr: 'DSDATAABUSE', key: 'data_abuse', name: { 'zh-CN': '数据滥用事件', en: 'Data abuse incident' } },
      { code: '03010', abbr: 'DSPRIVACY', key: 'privacy_violation', name: { 'zh-CN': '隐私侵犯事件', en: 'Privacy violation incident' } },
      { code: '03011', abbr: 'DSDATALOSS', key: 'data_loss', name: { 'zh-CN': '数据损失事件', en: 'Data loss incident' } },
      { code: '03012', abbr: 'DSOTH', key: 'other_data_security', name: { 'zh-CN': '其他数据安全事件', en: 'Other data security incident' } },
    ],
  },
  {
    code: '04',
    abbr: 'IC',
    key: 'information_content',
    name: { 'zh-CN': '信息内容安全事件', en: 'Information content security incident' },
    // unconfirmed: subcategories from the single third-party source (see header).
    subcategories: [
      { code: '04001', abbr: 'ICRADICAL', key: 'subversive_propaganda', name: { 'zh-CN': '反动宣传事件', en: 'Subversive propaganda incident' } },
      { code: '04002', abbr: 'ICTERROR', key: 'terrorism_extremism_propaganda', name: { 'zh-CN': '暴恐宣扬事件', en: 'Terrorism and extremism propaganda incident' } },
      { code: '04003', abbr: 'ICPORN', key: 'pornography_distribution', name: { 'zh-CN': '色情传播事件', en: 'Pornography distribution incident' } },
      { code: '04004', abbr: 'ICFAKENEWS', key: 'false_information', name: { 'zh-CN': '虚假信息传播事件', en: 'False information distribution incident' } },
      { code: '04005', abbr: 'ICRIGHTS', key: 'rights_infringement', name: { 'zh-CN': '权益侵害事件', en: 'Rights infringement incident' } },
      { code: '04006', abbr: 'ICSPAM', key: 'information_spamming', name: { 'zh-CN': '信息滥发事件', en: 'Information spamming incident' } },
      { code: '04007', abbr: 'ICFRAUD', key: 'online_fraud', name: { 'zh-CN': '网络欺诈事件', en: 'Online fraud incident' } },
      { code: '04008', abbr: 'ICOTH', key: 'other_information_content', name: { 'zh-CN': '其他信息内容安全事件', en: 'Other information content security incident' } },
    ],
  },
  {
    code: '05',
    abbr: 'DE',
    key: 'facility_fault',
    name: { 'zh-CN': '设备设施故障事件', en: 'Equipment and facility fault incident' },
    // unconfirmed: subcategories from the single third-party source (see header).
    subcategories: [
      { code: '05001', abbr: 'DETECH', key: 'technical_failure', name: { 'zh-CN': '技术故障事件', en: 'Technical failure incident' } },
      { code: '05002', abbr: 'DEACCFAC', key: 'supporting_facility_failure', name: { 'zh-CN': '配套设施故障事件', en: 'Supporting facility failure incident' } },
      { code: '05003', abbr: 'DEPHYS', key: 'physical_damage', name: { 'zh-CN': '物理损害事件', en: 'Physical damage incident' } },
      { code: '05004', abbr: 'DERADINT', key: 'radiation_interference', name: { 'zh-CN': '辐射干扰事件', en: 'Radiation interference incident' } },
      { code: '05005', abbr: 'DEOTH', key: 'other_facility_fault', name: { 'zh-CN': '其他设备设施故障事件', en: 'Other equipment and facility fault incident' } },
    ],
  },
  {
    code: '06',
    abbr: 'RO',
    key: 'noncompliant_operation',
    name: { 'zh-CN': '违规操作事件', en: 'Non-compliant operation incident' },
    // unconfirmed: subcategories from the single third-party source (see header). That source writes the
    // last one as "其他违规操作事" (truncated) and gives 资源未授权使用事件 the odd definition "版权违反事件".
    subcategories: [
      { code: '06001', abbr: 'ROPABUSE', key: 'privilege_abuse', name: { 'zh-CN': '权限滥用事件', en: 'Privilege abuse incident' } },
      { code: '06002', abbr: 'ROPFAKE', key: 'privilege_forgery', name: { 'zh-CN': '权限伪造事件', en: 'Privilege forgery incident' } },
      { code: '06003', abbr: 'ROPDENY', key: 'repudiation', name: { 'zh-CN': '行为抵赖事件', en: 'Repudiation incident' } },
      { code: '06004', abbr: 'ROPINTENT', key: 'intentional_violation', name: { 'zh-CN': '故意违规操作事件', en: 'Intentional non-compliant operation incident' } },
      { code: '06005', abbr: 'ROPMISTAKE', key: 'misoperation', name: { 'zh-CN': '误操作事件', en: 'Operational error incident' } },
      { code: '06006', abbr: 'ROPUAVAIL', key: 'personnel_unavailability', name: { 'zh-CN': '人员可用性破坏事件', en: 'Personnel availability disruption incident' } },
      { code: '06007', abbr: 'ROPNOUNAUTH', key: 'unauthorized_resource_use', name: { 'zh-CN': '资源未授权使用事件', en: 'Unauthorised use of resources incident' } },
      { code: '06008', abbr: 'ROPO', key: 'other_noncompliant_operation', name: { 'zh-CN': '其他违规操作事件', en: 'Other non-compliant operation incident' } },
    ],
  },
  {
    code: '07',
    abbr: 'SHE',
    key: 'security_hazard',
    name: { 'zh-CN': '安全隐患事件', en: 'Security hazard incident' },
    // unconfirmed: subcategories from the single third-party source (see header).
    subcategories: [
      { code: '07001', abbr: 'SHEVULN', key: 'network_vulnerability', name: { 'zh-CN': '网络漏洞事件', en: 'Network vulnerability incident' } },
      { code: '07002', abbr: 'SHECONFIG', key: 'configuration_compliance_defect', name: { 'zh-CN': '网络配置合规缺陷事件', en: 'Network configuration compliance defect incident' } },
      { code: '07003', abbr: 'SHEOTH', key: 'other_security_hazard', name: { 'zh-CN': '其他安全隐患事件', en: 'Other security hazard incident' } },
    ],
  },
  {
    code: '08',
    abbr: 'AB',
    key: 'abnormal_behavior',
    name: { 'zh-CN': '异常行为事件', en: 'Abnormal behaviour incident' },
    // unconfirmed: subcategories from the single third-party source (see header).
    subcategories: [
      { code: '08001', abbr: 'ABACCESS', key: 'access_anomaly', name: { 'zh-CN': '访问异常事件', en: 'Access anomaly incident' } },
      { code: '08002', abbr: 'ABTRAFFIC', key: 'traffic_anomaly', name: { 'zh-CN': '流量异常事件', en: 'Traffic anomaly incident' } },
      { code: '08003', abbr: 'ABOTH', key: 'other_abnormal_behavior', name: { 'zh-CN': '其他异常行为事件', en: 'Other abnormal behaviour incident' } },
    ],
  },
  {
    code: '09',
    abbr: 'FOC',
    key: 'force_majeure',
    name: { 'zh-CN': '不可抗力事件', en: 'Force majeure incident' },
    // unconfirmed: subcategories from the single third-party source (see header).
    subcategories: [
      { code: '09001', abbr: 'FOCDISASTER', key: 'natural_disaster', name: { 'zh-CN': '自然灾害事件', en: 'Natural disaster incident' } },
      { code: '09002', abbr: 'FOCACCIDENT', key: 'accident_disaster', name: { 'zh-CN': '事故灾难事件', en: 'Accident and disaster incident' } },
      { code: '09003', abbr: 'FOCHEALTH', key: 'public_health', name: { 'zh-CN': '公共卫生事件', en: 'Public health incident' } },
      { code: '09004', abbr: 'FOCSOCIALSEC', key: 'social_security_event', name: { 'zh-CN': '社会安全事件', en: 'Social security event' } },
      { code: '09005', abbr: 'FOCOTH', key: 'other_force_majeure', name: { 'zh-CN': '其他不可抗力事件', en: 'Other force majeure incident' } },
    ],
  },
  {
    code: '10',
    abbr: 'OTH',
    key: 'other',
    name: { 'zh-CN': '其他事件', en: 'Other incident' },
    // 其他事件 has no subcategories (the third-party source has an empty subcategory for it).
    subcategories: [],
  },
] as const satisfies readonly IncidentCategoryDef[];

export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export type IncidentCategoryKey = IncidentCategory['key'];
export type IncidentSubcategory = IncidentCategory['subcategories'][number];
export type IncidentSubcategoryKey = IncidentSubcategory['key'];
/** The subcategory keys of one category, e.g. `SubcategoryKeyOf<'malware'>`. */
export type SubcategoryKeyOf<C extends IncidentCategoryKey> = Extract<IncidentCategory, { key: C }>['subcategories'][number]['key'];

export function findCategory(key: string): IncidentCategory | undefined {
  return INCIDENT_CATEGORIES.find((c) => c.key === key);
}

export function findSubcategory(key: string): { category: IncidentCategory; subcategory: IncidentSubcategory } | undefined {
  for (const category of INCIDENT_CATEGORIES) {
    const subcategory = (category.subcategories as readonly IncidentSubcategory[]).find((s) => s.key === key);
    if (subcategory) return { category, subcategory };
  }
  return undefined;
}

export function isCategoryKey(key: string): key is IncidentCategoryKey {
  return findCategory(key) !== undefined;
}

export function isSubcategoryOf(category: string, subcategory: string): boolean {
  const c = findCategory(category);
  return c !== undefined && (c.subcategories as readonly IncidentSubcategory[]).some((s) => s.key === subcategory);
}

// ---------------------------------------------------------------------------------------------------------
// Levels
//
// GB/T 20986-2023 grades incidents in four levels (特别重大, 重大, 较大, 一般); its foreword says the 2023 edition
// replaced "信息系统" with "事件影响对象" in the grading factors (the 2007 factors were the importance of the
// information system, the system loss and the social impact). The criteria below are a short rendering of
// the attachment《网络安全事件分级指南》to the 国家网络安全事件报告管理办法, which is what a network operator
// must use to decide whether to report (Art. 4). Confirmed thresholds: personal information leaked of
// 1 亿 / 1000 万 / 100 万 people or more for I / II / III; direct economic loss of 1 亿元 or more for I; a
// critical-information-infrastructure outage of 6 h overall or 24 h of main functions for I; "以上" includes
// the number itself. The qualitative wording for II and the other numeric thresholds for II–IV were only
// seen in fragments and are not reproduced here.
// ---------------------------------------------------------------------------------------------------------

export type IncidentLevel = 'I' | 'II' | 'III' | 'IV';

export interface IncidentLevelDef {
  readonly level: IncidentLevel;
  /** 1 = most severe. */
  readonly rank: 1 | 2 | 3 | 4;
  readonly key: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
}

export const INCIDENT_LEVELS = [
  {
    level: 'I',
    rank: 1,
    key: 'especially_major',
    name: { 'zh-CN': '特别重大事件', en: 'Especially major incident' },
    description: {
      'zh-CN':
        '重要网络和信息系统遭受特别严重的系统损失，造成系统大面积瘫痪、丧失业务处理能力；或核心数据、重要数据、海量公民个人信息丢失或被窃取、篡改、假冒，对国家安全和社会稳定构成特别严重威胁。参考：泄露1亿人以上公民个人信息，或造成1亿元以上直接经济损失，或关键信息基础设施整体中断运行6小时以上。',
      en: 'Important networks and information systems suffer especially serious loss: large-scale paralysis, business processing capability lost; or core data, important data or massive personal information is lost, stolen, tampered with or forged, an especially serious threat to national security and social stability. For reference: personal information of 100 million or more people leaked, direct economic loss of CNY 100 million or more, or a critical information infrastructure down as a whole for 6 hours or more.',
    },
  },
  {
    level: 'II',
    rank: 2,
    key: 'major',
    name: { 'zh-CN': '重大事件', en: 'Major incident' },
    description: {
      'zh-CN':
        '重要网络和信息系统遭受严重的系统损失，造成系统长时间中断或局部瘫痪，业务处理能力受到极大影响；或重要数据、大量公民个人信息丢失或被窃取、篡改、假冒，对国家安全和社会稳定构成严重威胁。参考：泄露1000万人以上公民个人信息。',
      en: 'Important networks and information systems suffer serious loss: long interruption or partial paralysis, business processing capability greatly affected; or important data or a large amount of personal information is lost, stolen, tampered with or forged, a serious threat to national security and social stability. For reference: personal information of 10 million or more people leaked.',
    },
  },
  {
    level: 'III',
    rank: 3,
    key: 'relatively_major',
    name: { 'zh-CN': '较大事件', en: 'Relatively major incident' },
    description: {
      'zh-CN':
        '重要网络和信息系统遭受较大的系统损失，造成系统中断，明显影响系统效率，业务处理能力受到影响；或重要数据、较大量公民个人信息丢失或被窃取、篡改、假冒，对国家安全和社会稳定构成较严重威胁。参考：泄露100万人以上公民个人信息。较大及以上事件须按《国家网络安全事件报告管理办法》限时报告。',
      en: 'Important networks and information systems suffer considerable loss: systems interrupted, efficiency clearly affected, business processing affected; or important data or a considerable amount of personal information is lost, stolen, tampered with or forged, a relatively serious threat to national security and social stability. For reference: personal information of 1 million or more people leaked. Level III and above must be reported to the regulator within the time limits of the National Cybersecurity Incident Reporting Measures.',
    },
  },
  {
    level: 'IV',
    rank: 4,
    key: 'general',
    name: { 'zh-CN': '一般事件', en: 'General incident' },
    description: {
      'zh-CN': '除上述情形外，对国家安全、社会秩序、经济建设和公众利益构成一定威胁、造成一定影响的网络安全事件。按单位应急预案内部报告和处置。',
      en: 'Any other incident that poses some threat to, or has some impact on, national security, public order, economic development or the public interest. Reported and handled internally under the emergency plan.',
    },
  },
] as const satisfies readonly IncidentLevelDef[];

export const INCIDENT_LEVEL_KEYS = ['I', 'II', 'III', 'IV'] as const satisfies readonly IncidentLevel[];

export function isIncidentLevel(value: unknown): value is IncidentLevel {
  return typeof value === 'string' && (INCIDENT_LEVEL_KEYS as readonly string[]).includes(value);
}

export function findLevel(level: string): (typeof INCIDENT_LEVELS)[number] | undefined {
  return INCIDENT_LEVELS.find((l) => l.level === level);
}

/** True when `level` is as severe as `min` or more (I is the most severe). */
export function levelAtLeast(level: IncidentLevel, min: IncidentLevel): boolean {
  return findLevel(level)!.rank <= findLevel(min)!.rank;
}

// ---------------------------------------------------------------------------------------------------------
// Report fields
// ---------------------------------------------------------------------------------------------------------

export interface ReportFieldDef {
  readonly key: string;
  readonly name: LocalizedText;
}

/** The internal report of the seed drill record: "事发时间、影响范围、发展趋势、已采取的措施". */
export const INTERNAL_REPORT_FIELDS = [
  { key: 'occurred_at', name: { 'zh-CN': '事发时间', en: 'Time of occurrence' } },
  { key: 'scope', name: { 'zh-CN': '影响范围', en: 'Scope of impact' } },
  { key: 'trend', name: { 'zh-CN': '发展趋势', en: 'Trend' } },
  { key: 'measures', name: { 'zh-CN': '已采取的措施', en: 'Measures taken' } },
] as const satisfies readonly ReportFieldDef[];

// What a report to the regulator contains (办法 Art. 7). Confirmed in substance from a secondary summary
// that quotes the Measures: the operator and the affected system, when the incident was discovered, its type,
// its level, the impact caused and the measures taken; when cause, impact or trend cannot be determined in
// time, "可先报告第一项、第二项内容，其他情况及时补报" (Art. 7 para. 2). The items marked `unconfirmed` were only
// seen as phrases in garbled copies of the final text (wording and item boundaries not verified). Field
// names are ours, not the article's exact wording.
export const REGULATOR_REPORT_FIELDS = [
  { key: 'operator_and_system', name: { 'zh-CN': '单位名称及发生事件的网络、系统、平台基本情况', en: 'Operator name and basic facts of the affected network, system or platform' } },
  { key: 'discovered_at', name: { 'zh-CN': '事件发现时间（及发生时间、地点）', en: 'When the incident was discovered (and when and where it occurred)' } },
  { key: 'incident_type', name: { 'zh-CN': '事件类型', en: 'Incident type' } },
  { key: 'incident_level', name: { 'zh-CN': '事件级别（研判结果）', en: 'Incident level (as assessed)' } },
  { key: 'impact', name: { 'zh-CN': '已造成的影响和危害', en: 'Impact and harm caused so far' } },
  { key: 'measures_taken', name: { 'zh-CN': '已采取的应急处置措施及效果', en: 'Response measures taken and their effect' } },
  // unconfirmed
  { key: 'trend_and_further_impact', name: { 'zh-CN': '事态发展趋势及可能造成的进一步影响和危害', en: 'How the situation is developing and further impact or harm it may cause' } },
  // unconfirmed
  { key: 'preliminary_cause', name: { 'zh-CN': '事件原因初步分析', en: 'Preliminary analysis of the cause' } },
  // unconfirmed
  { key: 'investigation_leads', name: { 'zh-CN': '攻击路径、溯源调查线索', en: 'Attack path and leads for tracing and investigation' } },
  // unconfirmed
  { key: 'next_steps_and_support', name: { 'zh-CN': '拟进一步采取的应对措施以及请求支援事项', en: 'Further measures planned and support requested' } },
  // unconfirmed
  { key: 'site_preservation', name: { 'zh-CN': '事件现场保护情况', en: 'How the incident scene and evidence are preserved' } },
  // unconfirmed
  { key: 'other_matters', name: { 'zh-CN': '其他应当报告的情况', en: 'Other matters that should be reported' } },
] as const satisfies readonly ReportFieldDef[];

export type InternalReportFieldKey = (typeof INTERNAL_REPORT_FIELDS)[number]['key'];
export type RegulatorReportFieldKey = (typeof REGULATOR_REPORT_FIELDS)[number]['key'];
export type ReportFieldKey = InternalReportFieldKey | RegulatorReportFieldKey;

export const REPORT_FIELDS = [...INTERNAL_REPORT_FIELDS, ...REGULATOR_REPORT_FIELDS] as const;

export function findReportField(key: string): ReportFieldDef | undefined {
  return (REPORT_FIELDS as readonly ReportFieldDef[]).find((f) => f.key === key);
}

// ---------------------------------------------------------------------------------------------------------
// Regulator reporting presets — 国家网络安全事件报告管理办法 Art. 4 (confirmed, verbatim in sources):
// - 涉及关键信息基础设施的，网络运营者应当第一时间向保护工作部门、公安机关报告，最迟不得超过1小时。
// - 网络运营者属于中央和国家机关各部门及其直属单位的，应当及时向本部门网信工作机构报告，最迟不得超过2小时。
// - 其他网络运营者应当及时向属地省级网信部门报告，最迟不得超过4小时。
// Only incidents assessed as 较大 (III) or above must be reported. Also confirmed: 涉嫌违法犯罪的，网络运营者
// 应当及时向公安机关报案 (Art. 4); after the response ends, a summary report (cause, measures, harm,
// accountability, remediation, lessons) goes up the same channel within 30 days (Art. 8). Reports can be
// made to the CAC through the 12387 hotline, 12387.cert.org.cn, the 12387 mini-program, e-mail or fax.
// ---------------------------------------------------------------------------------------------------------

export interface RegulatorReportingPreset {
  readonly key: string;
  readonly operatorType: LocalizedText;
  readonly minutes: number;
  readonly minLevel: IncidentLevel;
  readonly reportTo: LocalizedText;
  readonly requiredFields: readonly ReportFieldDef[];
  readonly closingReportWithinDays: number;
}

export const REGULATOR_REPORTING_PRESETS = [
  {
    key: 'cii_operator',
    operatorType: { 'zh-CN': '关键信息基础设施运营者', en: 'Critical information infrastructure operator' },
    minutes: 60,
    minLevel: 'III',
    reportTo: { 'zh-CN': '保护工作部门、公安机关', en: 'The CII protection department and the public security organ' },
    requiredFields: REGULATOR_REPORT_FIELDS,
    closingReportWithinDays: 30,
  },
  {
    key: 'central_state_body',
    operatorType: { 'zh-CN': '中央和国家机关各部门及其直属单位', en: 'Central Party and state bodies and the units directly under them' },
    minutes: 120,
    minLevel: 'III',
    reportTo: { 'zh-CN': '本部门网信工作机构', en: "The body's own cyberspace affairs office" },
    requiredFields: REGULATOR_REPORT_FIELDS,
    closingReportWithinDays: 30,
  },
  {
    key: 'other_operator',
    operatorType: { 'zh-CN': '其他网络运营者', en: 'Other network operators' },
    minutes: 240,
    minLevel: 'III',
    reportTo: { 'zh-CN': '属地省级网信部门', en: 'The provincial cyberspace administration where the operator is located' },
    requiredFields: REGULATOR_REPORT_FIELDS,
    closingReportWithinDays: 30,
  },
] as const satisfies readonly RegulatorReportingPreset[];

export type RegulatorReportingPresetKey = (typeof REGULATOR_REPORTING_PRESETS)[number]['key'];

export function findRegulatorPreset(key: string): RegulatorReportingPreset | undefined {
  return REGULATOR_REPORTING_PRESETS.find((p) => p.key === key);
}
